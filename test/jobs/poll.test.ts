import { describe, expect, it, vi } from 'vitest'
import { isHttpError, localStorageSpool } from '../../src/index.ts'
import { isJobError, type JobError } from '../../src/jobs/index.ts'
import { memoryStorage } from '../../src/testing/storage.ts'
import { settle } from '../support/queue.ts'
import { advance, flush, HttpResponse, jobQueue, jobServer, states, T0, url } from './support.ts'

describe('2.10 when the status URL is polled', () => {
  it('2.10 without Retry-After: interval (1 s), growing by half each poll up to maxInterval', async () => {
    const server = jobServer()
    const { queue } = jobQueue({ maxInterval: 4000 })
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(30_000)
    // 1000, 1500, 2250, 3375, then 4000 each.
    expect(server.polls().slice(0, 9)).toEqual([
      1000, 2500, 4750, 8125, 12_125, 16_125, 20_125, 24_125, 28_125,
    ])
  })

  it('2.10 the defaults: 1 s first, and never more than 30 s apart', async () => {
    const server = jobServer()
    const { queue } = jobQueue()
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(300_000)
    const polls = server.polls()
    const gaps = polls.map((t, i) => t - (polls[i - 1] ?? 0))
    expect(gaps[0]).toBe(1000)
    expect(Math.max(...gaps)).toBe(30_000)
    expect(gaps.at(-1)).toBe(30_000)
  })

  it('2.10 Retry-After in seconds, on the 202 and on each running poll, sets the next poll', async () => {
    const server = jobServer({
      accepted: (id) => ({ location: `/jobs/${id}`, 'retry-after': '5' }),
      running: () => ({ 'retry-after': '7' }),
    })
    const { queue } = jobQueue()
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(20_000)
    expect(server.polls()).toEqual([5000, 12_000, 19_000])
  })

  it('2.10 Retry-After as an HTTP date', async () => {
    const at = new Date(T0 + 42_000).toUTCString()
    const server = jobServer({ accepted: (id) => ({ location: `/jobs/${id}`, 'retry-after': at }) })
    const { queue } = jobQueue()
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(41_999)
    expect(server.polls()).toEqual([])
    await advance(1)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    expect(server.times[1]).toBe(T0 + 42_000)
  })

  it("2.10 Retry-After is capped by the retry policy's maxRetryAfter", async () => {
    const server = jobServer({
      accepted: (id) => ({ location: `/jobs/${id}`, 'retry-after': '3600' }),
    })
    const { queue } = jobQueue({}, { retry: { maxRetryAfter: 10_000 } })
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(10_000)
    expect(server.polls()).toEqual([10_000])
  })

  it("2.10 polls use the queue's transport, beforeSend and timeout", async () => {
    const server = jobServer()
    const seen: string[] = []
    const { queue } = jobQueue(
      {},
      {
        timeout: 5000,
        beforeSend(request, item) {
          request.headers.set('authorization', 'Bearer fresh')
          seen.push(`${request.method} ${new URL(request.url).pathname} ${item.state}`)
        },
        transport: (request) =>
          globalThis.fetch(request.url, { ...request, signal: request.signal }),
      },
    )
    queue.fetch(url('/exports'), { method: 'POST', json: { a: 1 } })
    server.once('GET /jobs/1', 'hang')
    await advance(1000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    // The poll hangs: the queue's timeout cuts it, and the job is polled again within the backoff.
    await advance(5000)
    await advance(1000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1', 'GET /jobs/1'])
    const poll = server.requests[1]!
    expect(poll.headers.get('authorization')).toBe('Bearer fresh')
    // A GET of the status URL: none of the write's body, content-type or idempotency key.
    expect(poll.headers.get('content-type')).toBeNull()
    expect(poll.headers.get('idempotency-key')).toBeNull()
    expect(seen).toEqual(['POST /exports sending', 'GET /jobs/1 accepted', 'GET /jobs/1 accepted'])
  })
})

describe('2.10 how a poll ends the job, or does not', () => {
  it('2.10 a dropped connection on a poll is retried without failing the job, even with networkLimit: 0', async () => {
    const server = jobServer()
    const { queue, of } = jobQueue({}, { retry: { networkLimit: 0, baseDelay: 100 } })
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    for (let i = 0; i < 3; i++) server.once('GET /jobs/1', 'drop')
    await advance(5000)
    expect(server.log.filter((l) => l === 'GET /jobs/1').length).toBeGreaterThan(3)
    expect(result.status).toBe('pending')
    expect(states(queue)).toEqual(['accepted'])
    expect(of('retrying')).toHaveLength(3)
    expect(of('failed')).toEqual([])
    server.finish(1)
    await advance(30_000)
    expect(result.value?.status).toBe(200)
  })

  it('2.10 a retryable status on a poll is retried without failing the job, even with retry: 0', async () => {
    const server = jobServer()
    const { queue, of } = jobQueue({}, { retry: 0 })
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    for (const status of [503, 502, 429])
      server.once(
        'GET /jobs/1',
        new HttpResponse(null, { status, headers: { 'retry-after': '2' } }),
      )
    await advance(1000 + 3 * 2000)
    expect(server.log.filter((l) => l === 'GET /jobs/1')).toHaveLength(4)
    expect(of('retrying').map((e) => e.delay)).toEqual([2000, 2000, 2000])
    expect(result.status).toBe('pending')
    server.finish(1)
    await advance(30_000)
    expect(result.value?.status).toBe(200)
  })

  it.each([404, 410, 400])(
    '2.10 a %d from the status URL fails the job with HttpError',
    async (status) => {
      const server = jobServer()
      const { queue, of } = jobQueue()
      const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
      await advance(1000)
      server.gone(1, status)
      await advance(1500)
      expect(result.status).toBe('rejected')
      expect(isHttpError(result.reason)).toBe(true)
      expect((result.reason as { response: Response }).response.status).toBe(status)
      expect(of('failed')).toHaveLength(1)
      expect(queue.getSnapshot().items).toEqual([])
      await advance(60_000)
      expect(server.log.filter((l) => l === 'GET /jobs/1')).toHaveLength(2)
    },
  )

  it('2.10 any 2xx other than 202 ends the job: the caller gets that response, its body readable', async () => {
    const server = jobServer()
    const { queue } = jobQueue()
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    server.once('GET /jobs/1', HttpResponse.json({ inline: true }, { status: 200 }))
    await advance(1000)
    expect(result.value?.status).toBe(200)
    expect(await result.value!.json()).toEqual({ inline: true })
  })

  it('2.10 maxWait, counted from the 202, fails the job with a typed JobError', async () => {
    jobServer()
    const { queue, of } = jobQueue({ maxWait: 10_000 })
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    await advance(9999)
    expect(result.status).toBe('pending')
    await advance(1)
    expect(result.status).toBe('rejected')
    const error = result.reason as JobError
    expect(isJobError(error)).toBe(true)
    expect(error).toMatchObject({ name: 'JobError', code: 'max-wait', location: url('/jobs/1') })
    expect(error.message).toBe(`The job at ${url('/jobs/1')} did not end within maxWait (10000 ms)`)
    expect(of('failed').map((e) => e.error)).toEqual([error])
  })

  it('2.10 a failed job is followed no more: parked, it is a write again, and retry(id) sends it with the same key', async () => {
    const server = jobServer({ running: () => ({ 'retry-after': '60' }) })
    const storage = memoryStorage()
    const { queue, of } = jobQueue(
      { maxWait: 5000 },
      { onFailure: 'pause', spool: localStorageSpool({ key: 'k', storage, locks: null }) },
    )
    await queue.ready
    const result = settle(queue.fetch(url('/exports'), { method: 'POST', meta: { n: 1 } }))
    await advance(5000)
    expect(of('failed').map((e) => e.error.name)).toEqual(['JobError'])
    const [item] = queue.getSnapshot().items
    expect(item).toMatchObject({ state: 'failed', location: undefined })
    const stored = JSON.parse(storage.getItem(storage.key(0)!)!)
    expect(stored.job).toBeUndefined()
    expect(result.status).toBe('pending')

    // The server still has the job: the repeated key gets its 202, and a fresh deadline.
    queue.retry(item!.id)
    await advance(0)
    // Polled at 1 s, then at the deadline (Retry-After: 60 is capped by it); then the retry.
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1', 'GET /jobs/1', 'POST /exports'])
    const [first, , , again] = server.requests.map((r) => r.headers.get('idempotency-key'))
    expect(again).toBe(first)
    expect(server).toMatchObject({ posts: 2, created: 1 })
    expect(queue.getSnapshot().items[0]!.state).toBe('accepted')
    server.finish(1)
    await advance(1000)
    expect(result.value?.status).toBe(200)
  })

  it('2.10 an accepted item is pending: the snapshot is not idle and whenIdle() waits for the job', async () => {
    const server = jobServer()
    const { queue } = jobQueue()
    queue.fetch(url('/exports'), { method: 'POST' })
    const idle = settle(queue.whenIdle())
    await advance(5000)
    expect(queue.getSnapshot()).toMatchObject({ pending: 1 })
    expect(queue.getSnapshot().status).not.toBe('idle')
    expect(idle.status).toBe('pending')
    server.finish(1)
    await advance(5000)
    expect(idle.status).toBe('fulfilled')
    expect(queue.getSnapshot().status).toBe('idle')
  })

  it("2.10 aborting the caller's signal stops the polling and rejects with its reason", async () => {
    const server = jobServer()
    const { queue } = jobQueue()
    const ctrl = new AbortController()
    const result = settle(queue.fetch(url('/exports'), { method: 'POST', signal: ctrl.signal }))
    await advance(1000)
    ctrl.abort(new Error('user left'))
    await advance(60_000)
    expect(result.reason).toEqual(new Error('user left'))
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    expect(queue.getSnapshot().items).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('2.10 aborting while a poll is on the wire aborts the poll', async () => {
    const server = jobServer()
    const { queue } = jobQueue({}, { timeout: false })
    const ctrl = new AbortController()
    const result = settle(queue.fetch(url('/exports'), { method: 'POST', signal: ctrl.signal }))
    server.once('GET /jobs/1', 'hang')
    await advance(1000)
    const poll = server.requests[1]!
    ctrl.abort(new Error('user left'))
    await flush()
    expect(result.reason).toEqual(new Error('user left'))
    expect(poll.signal.aborted).toBe(true)
    await advance(60_000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
  })
})
