import { describe, expect, it } from 'vitest'
import { createQueue, type QueueOptions } from '../../src/index.ts'
import { type FollowJobsOptions, followJobs } from '../../src/jobs/index.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { settle, track } from '../support/queue.ts'
import { flush, url } from './support.ts'

/** A queue that follows jobs over a transport the test answers, on a manual clock. */
function jobs(follow: FollowJobsOptions = {}, options: QueueOptions = {}) {
  const t = testTransport()
  const clock = fakeClock()
  const queue = track(
    createQueue({
      transport: t.transport,
      clock,
      online: fakeOnline(),
      timeout: false,
      follow: followJobs(follow),
      ...options,
    }),
  )
  return { t, clock, queue }
}

const accepted = { status: 202, headers: { location: '/jobs/1' } }

describe('2.10 the lane and the job', () => {
  it('2.10 the lane moves on once the job is accepted: the next write goes out while the job runs', async () => {
    const { t, clock, queue } = jobs()
    const job = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    const save = settle(queue.fetch(url('/stops'), { method: 'POST', body: '1' }))
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports'])
    t.calls[0]!.answer(accepted)
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports', 'POST /stops'])
    t.calls[1]!.answer(204)
    await flush()
    expect(save.status).toBe('fulfilled')
    expect(job.status).toBe('pending')
    // The job keeps its place in the snapshot and its lane's name.
    expect(queue.getSnapshot().items.map((i) => [i.url, i.lane, i.state])).toEqual([
      [url('/exports'), '', 'accepted'],
    ])
    await clock.advance(1000)
    expect(t.calls.at(-1)!.label).toBe('GET /jobs/1')
  })

  it('2.10 a read after the job is not held back by it either', async () => {
    const { t, queue } = jobs()
    queue.fetch(url('/exports'), { method: 'POST', lane: 'room:1' })
    queue.fetch(url('/stats'), { lane: 'room:1' })
    await flush()
    t.calls[0]!.answer(accepted)
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports', 'GET /stats'])
    expect(queue.getSnapshot().items.map((i) => [i.lane, i.state])).toEqual([
      ['room:1', 'accepted'],
      ['room:1', 'sending'],
    ])
  })

  it('2.10 hold: true holds the lane until the job ends', async () => {
    const { t, clock, queue } = jobs({ hold: true })
    const job = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    const save = settle(queue.fetch(url('/stops'), { method: 'POST', body: '1' }))
    queue.fetch(url('/other'), { method: 'POST', lane: 'other' })
    await flush()
    t.calls[0]!.answer(accepted)
    t.calls[1]!.answer(204)
    await clock.advance(1000)
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports', 'POST /other', 'GET /jobs/1'])
    t.calls[2]!.answer({ status: 202 })
    await clock.advance(1500)
    expect(t.calls.at(-1)!.label).toBe('GET /jobs/1')
    expect(save.status).toBe('pending')
    t.calls.at(-1)!.answer({ json: { done: true } })
    await flush()
    expect(job.status).toBe('fulfilled')
    expect(t.calls.at(-1)!.label).toBe('POST /stops')
  })

  it('2.10 a newer write with the same dedupe key never replaces an accepted job', async () => {
    const { t, queue } = jobs()
    const job = settle(queue.fetch(url('/exports'), { method: 'POST', dedupe: 'export' }))
    await flush()
    t.calls[0]!.answer(accepted)
    await flush()
    const again = settle(queue.fetch(url('/exports'), { method: 'POST', dedupe: 'export' }))
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports', 'POST /exports'])
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['accepted', 'sending'])
    expect([job.status, again.status]).toEqual(['pending', 'pending'])
  })

  it('2.10 polls count against maxParallel', async () => {
    const { t, clock, queue } = jobs({}, { maxParallel: 2 })
    queue.fetch(url('/exports'), { method: 'POST', lane: 'a' })
    await flush()
    t.calls[0]!.answer(accepted)
    await flush()
    // Two writes in other lanes take both slots when the poll falls due.
    queue.fetch(url('/b'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/c'), { method: 'POST', lane: 'c' })
    await clock.advance(1000)
    expect(t.calls.map((c) => c.label)).toEqual(['POST /exports', 'POST /b', 'POST /c'])
    expect(t.live).toHaveLength(2)
    t.calls[1]!.answer(204)
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual([
      'POST /exports',
      'POST /b',
      'POST /c',
      'GET /jobs/1',
    ])
    expect(t.maxLive).toBe(2)
  })

  it('2.10 while polled, the item is accepted between polls and on the wire alike', async () => {
    const { t, clock, queue } = jobs()
    queue.fetch(url('/exports'), { method: 'POST' })
    await flush()
    t.calls[0]!.answer(accepted)
    await flush()
    const seen = [queue.getSnapshot().items[0]!]
    await clock.advance(1000)
    seen.push(queue.getSnapshot().items[0]!)
    expect(seen.map((i) => [i.state, i.location])).toEqual([
      ['accepted', url('/jobs/1')],
      ['accepted', url('/jobs/1')],
    ])
    expect(seen[0]!.nextAttemptAt).toBe(clock.now())
    expect(seen[1]!.nextAttemptAt).toBeUndefined()
  })
})
