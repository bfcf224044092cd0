import { describe, expect, it } from 'vitest'
import { localStorageSpool, type QueueOptions } from '../../src/index.ts'
import type { FollowJobsOptions } from '../../src/jobs/index.ts'
import type { SpoolRecord } from '../../src/spool/record.ts'
import { type MemoryStorage, memoryStorage } from '../../src/testing/storage.ts'
import { settle } from '../support/queue.ts'
import { advance, flush, jobQueue, jobServer, T0, url } from './support.ts'

const KEY = 'editor:u1:p1'

/** One page of the app over `storage`: a queue that follows jobs, with a localStorage spool. */
async function openPage(
  storage: MemoryStorage,
  follow: FollowJobsOptions = {},
  options: QueueOptions = {},
) {
  const page = jobQueue(follow, {
    spool: localStorageSpool({ key: KEY, storage, locks: null }),
    retry: { baseDelay: 100 },
    ...options,
  })
  await page.queue.ready
  await flush()
  return page
}

/** The records the spool holds. */
const stored = (storage: MemoryStorage): SpoolRecord[] =>
  [...Array(storage.length).keys()].map((i) => JSON.parse(storage.getItem(storage.key(i)!)!))

describe('2.10 the spool keeps an accepted job', () => {
  it('2.10 the record holds the status URL, the next poll time and the accepted-at time, until the job ends', async () => {
    const server = jobServer({ running: () => ({ 'retry-after': '4' }) })
    const storage = memoryStorage()
    const { queue } = await openPage(storage)
    queue.fetch(url('/exports'), { method: 'POST', json: { month: 5 }, meta: { export: 1 } })
    await server.seen(1)
    await flush()
    expect(stored(storage)).toMatchObject([{ v: 3, method: 'POST', meta: { export: 1 } }])
    expect(stored(storage)[0]!.job).toEqual({
      location: url('/jobs/1'),
      acceptedAt: T0,
      nextPollAt: T0 + 1000,
    })
    await advance(1000)
    // The first poll's Retry-After: 4 moved the next poll, and the record with it.
    expect(stored(storage)[0]!.job).toEqual({
      location: url('/jobs/1'),
      acceptedAt: T0,
      nextPollAt: T0 + 5000,
    })
    server.finish(1)
    await advance(4000)
    expect(stored(storage)).toEqual([])
  })

  it('2.10 after a reload the new page polls on at the stored time and never sends the write again; the outcome arrives by event with its meta', async () => {
    const server = jobServer({ running: () => ({ 'retry-after': '10' }) })
    const storage = memoryStorage()
    const first = await openPage(storage)
    first.queue.fetch(url('/exports'), { method: 'POST', meta: { export: 7 } })
    await advance(1000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    first.queue.dispose() // the page goes away; the next poll was due at T0 + 11 000

    await advance(3000)
    const next = await openPage(storage)
    expect(next.of('restored')[0]!.items).toMatchObject([
      { state: 'accepted', location: url('/jobs/1'), meta: { export: 7 } },
    ])
    expect(next.queue.getSnapshot().items[0]).toMatchObject({
      state: 'accepted',
      nextAttemptAt: T0 + 11_000,
    })
    await advance(6999)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    await advance(1)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1', 'GET /jobs/1'])
    server.finish(1, { rows: 12 })
    await advance(10_000)
    expect(server).toMatchObject({ posts: 1, created: 1 })
    const [sent] = next.of('sent')
    expect(sent!.item.meta).toEqual({ export: 7 })
    expect(await sent!.response.json()).toEqual({ rows: 12 })
    expect(stored(storage)).toEqual([])
    expect(next.queue.getSnapshot().status).toBe('idle')
  })

  it('2.10 the lane a restored job was in moves on: the writes stored after it go out at once', async () => {
    const server = jobServer({ running: () => ({ 'retry-after': '60' }) })
    const storage = memoryStorage()
    const first = await openPage(storage)
    first.queue.fetch(url('/exports'), { method: 'POST' })
    await server.seen(1)
    await flush()
    server.once('POST /exports', 'hang')
    first.queue.fetch(url('/exports'), { method: 'POST', body: 'second' })
    await server.seen(2)
    first.queue.dispose()

    const next = await openPage(storage)
    await flush()
    // The second write was in doubt: it is sent again at once, not after the job's next poll.
    expect(server.log).toEqual(['POST /exports', 'POST /exports', 'POST /exports'])
    expect(next.queue.getSnapshot().items.map((i) => i.state)).toEqual(['accepted', 'accepted'])
  })

  it('2.10 maxWait counts from the 202, across a reload', async () => {
    jobServer({ running: () => ({ 'retry-after': '60' }) })
    const storage = memoryStorage()
    const first = await openPage(storage, { maxWait: 30_000 })
    first.queue.fetch(url('/exports'), { method: 'POST' })
    await advance(1000)
    first.queue.dispose()
    await advance(20_000)

    const next = await openPage(storage, { maxWait: 30_000 })
    await advance(8999)
    expect(next.of('failed')).toEqual([])
    await advance(1)
    expect(next.of('failed').map((e) => e.error.name)).toEqual(['JobError'])
    expect(Date.now()).toBe(T0 + 30_000)
  })

  it('2.10 a stored job is not expired by the spool maxAge: maxWait bounds it', async () => {
    const server = jobServer({ running: () => ({ 'retry-after': '60' }) })
    const storage = memoryStorage()
    const spool = { maxAge: 5000 }
    const first = await openPage(
      storage,
      {},
      { spool: localStorageSpool({ key: KEY, storage, locks: null, ...spool }) },
    )
    first.queue.fetch(url('/exports'), { method: 'POST' })
    await advance(1000)
    first.queue.dispose()
    await advance(10_000)
    const next = await openPage(
      storage,
      {},
      { spool: localStorageSpool({ key: KEY, storage, locks: null, ...spool }) },
    )
    expect(next.queue.getSnapshot().items.map((i) => i.state)).toEqual(['accepted'])
    await advance(60_000)
    expect(server.log.filter((l) => l === 'GET /jobs/1')).toHaveLength(2)
  })
})

describe('2.10 a lost 202', () => {
  it('2.10 a POST whose 202 was lost is retried with the same key: the server answers with the job it has', async () => {
    const server = jobServer()
    const { queue, of } = jobQueue({}, { retry: { baseDelay: 100 } })
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    server.once('POST /exports', 'lose')
    await advance(100)
    expect(server.log).toEqual(['POST /exports', 'POST /exports'])
    const [a, b] = server.requests.map((r) => r.headers.get('idempotency-key'))
    expect(a).toBe(b)
    expect(server).toMatchObject({ posts: 2, created: 1 })
    expect(of('accepted')).toHaveLength(1)
    server.finish(1)
    await advance(1000)
    expect(result.value?.status).toBe(200)
  })

  it('2.10 ... also when the page reloads before the retry', async () => {
    const server = jobServer()
    const storage = memoryStorage()
    const first = await openPage(storage, {}, { retry: { baseDelay: 60_000 } })
    server.once('POST /exports', 'lose')
    first.queue.fetch(url('/exports'), { method: 'POST' })
    await server.seen(1)
    await flush()
    first.queue.dispose()

    const next = await openPage(storage)
    await server.seen(2)
    await flush()
    expect(server.log).toEqual(['POST /exports', 'POST /exports'])
    const [a, b] = server.requests.map((r) => r.headers.get('idempotency-key'))
    expect(b).toBe(a)
    expect(server).toMatchObject({ posts: 2, created: 1 })
    expect(next.of('accepted')).toHaveLength(1)
  })
})
