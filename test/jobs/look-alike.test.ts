import { describe, expect, it } from 'vitest'
import { isNetworkError } from '../../src/index.ts'
import { followJobs } from '../../src/jobs/index.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

// A transport may answer with a Response look-alike that throws where a real Response would not.
// Followed jobs read more of an answer than the queue does: the same rule holds for them.
const throwing = (status: number) => ({
  status,
  clone: () => ({}),
  headers: {
    get(): string {
      throw new Error('broken headers')
    },
  },
})

describe('2.10 a job answer that throws when read', () => {
  it('2.10 a 202 whose headers throw fails the write as an invalid response; the lane goes on', async () => {
    const { queue, t } = setup({ follow: followJobs() })
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const b = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    t.calls[0]!.resolveWith(throwing(202))
    await flush()
    expect(a.status).toBe('rejected')
    expect(isNetworkError(a.reason)).toBe(true)
    expect((a.reason as Error).message).toMatch(/^Invalid transport response/)
    expect(((a.reason as Error).cause as Error).message).toBe('broken headers')
    expect(t.calls.map((c) => c.label)).toEqual(['POST /a', 'POST /b'])
    t.calls[1]!.respond()
    await flush()
    expect(b.status).toBe('fulfilled')
  })

  it('2.10 a poll answered so ends the job with that error, and the queue is idle again', async () => {
    const { queue, t, clock } = setup({ follow: followJobs({ interval: 10 }) })
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await flush()
    t.calls[0]!.respond(new Response(null, { status: 202, headers: { location: url('/job/1') } }))
    await flush()
    await clock.advance(10)
    expect(t.calls.map((c) => c.label)).toEqual(['POST /a', 'GET /job/1'])
    t.calls[1]!.resolveWith(throwing(202))
    await flush()
    expect(a.status).toBe('rejected')
    expect(isNetworkError(a.reason)).toBe(true)
    expect(((a.reason as Error).cause as Error).message).toBe('broken headers')
    expect(queue.getSnapshot().status).toBe('idle')
  })
})
