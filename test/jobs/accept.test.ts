import { describe, expect, it } from 'vitest'
import { createQueue, localStorageSpool } from '../../src/index.ts'
import { followJobs, isJobError, type JobError } from '../../src/jobs/index.ts'
import { memoryStorage } from '../../src/testing/storage.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { settle, track } from '../support/queue.ts'
import { advance, flush, jobQueue, jobServer, states, url } from './support.ts'

describe('2.10 a 202 Accepted with a status URL is followed', () => {
  it('2.10 the item becomes accepted, raises accepted, and the caller gets the result, not the 202', async () => {
    const server = jobServer()
    const { queue, events } = jobQueue()
    const result = settle(
      queue.fetch(url('/exports'), { method: 'POST', json: { format: 'csv' }, meta: { n: 1 } }),
    )
    await server.seen(1)
    await flush()
    expect(states(queue)).toEqual(['accepted'])
    const [item] = queue.getSnapshot().items
    expect(item).toMatchObject({ method: 'POST', url: url('/exports'), meta: { n: 1 } })
    expect(item!.location).toBe(url('/jobs/1'))
    expect(events.map((e) => e.type)).toEqual(['accepted'])
    expect(events[0]).toMatchObject({ location: url('/jobs/1'), item: { state: 'accepted' } })
    expect(result.status).toBe('pending')

    await advance(1000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
    expect(result.status).toBe('pending')
    server.finish(1, { rows: 3 })
    await advance(1500)
    expect(result.status).toBe('fulfilled')
    const response = result.value!
    expect(response.status).toBe(200)
    expect(response.url).toBe(url('/results/1'))
    expect(await response.json()).toEqual({ rows: 3 })
    expect(events.map((e) => e.type)).toEqual(['accepted', 'sent'])
    expect(events[1]).toMatchObject({ item: { meta: { n: 1 }, location: url('/jobs/1') } })
    expect(queue.getSnapshot().items).toEqual([])
  })

  it('2.10 Operation-Location wins over Location', async () => {
    const server = jobServer({
      accepted: (id) => ({ location: '/elsewhere', 'operation-location': `/jobs/${id}` }),
    })
    const { queue } = jobQueue()
    queue.fetch(url('/exports'), { method: 'POST' })
    await server.seen(1)
    await flush()
    expect(queue.getSnapshot().items[0]!.location).toBe(url('/jobs/1'))
    await advance(1000)
    expect(server.log).toEqual(['POST /exports', 'GET /jobs/1'])
  })

  it('2.10 a relative status URL is resolved against the response URL', async () => {
    const t = testTransport()
    const queue = track(
      createQueue({ transport: t.transport, clock: fakeClock(), follow: followJobs() }),
    )
    queue.fetch(url('/v1/exports'), { method: 'POST' })
    await flush()
    // The POST was redirected: its answer comes from /v2/, and so does the job.
    const answer = new Response(null, { status: 202, headers: { location: 'jobs/7' } })
    Object.defineProperty(answer, 'url', { value: url('/v2/exports') })
    t.calls[0]!.answer(answer)
    await flush()
    expect(queue.getSnapshot().items[0]!.location).toBe(url('/v2/jobs/7'))
  })

  it('2.10 ... or against the request URL when the response has none, as a transport-built one', async () => {
    const t = testTransport()
    const queue = track(
      createQueue({ transport: t.transport, clock: fakeClock(), follow: followJobs() }),
    )
    queue.fetch(url('/v1/exports'), { method: 'POST' })
    await flush()
    t.calls[0]!.answer({ status: 202, headers: { location: 'jobs/7' } })
    await flush()
    expect(queue.getSnapshot().items[0]!.location).toBe(url('/v1/jobs/7'))
  })

  it('2.10 a 202 without a status URL resolves with the 202, as without followJobs', async () => {
    const server = jobServer({ accepted: () => ({}) })
    const { queue, events } = jobQueue()
    const response = await queue.fetch(url('/exports'), { method: 'POST' })
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ job: 1 })
    expect(events.map((e) => e.type)).toEqual(['sent'])
    expect(server.log).toEqual(['POST /exports'])
  })

  it('2.10 follow: false on an item resolves with the 202 as it is', async () => {
    const server = jobServer()
    const { queue, events } = jobQueue()
    const response = await queue.fetch(url('/exports'), { method: 'POST', follow: false })
    expect(response.status).toBe(202)
    expect(response.headers.get('location')).toBe('/jobs/1')
    expect(events.map((e) => e.type)).toEqual(['sent'])
    await advance(60_000)
    expect(server.log).toEqual(['POST /exports'])
  })

  it('2.10 a queue without follow delivers a 202 as a plain 2xx', async () => {
    const server = jobServer()
    const queue = track(createQueue({ online: fakeOnline(), clock: fakeClock() }))
    const response = await queue.fetch(url('/exports'), { method: 'POST' })
    expect(response.status).toBe(202)
    expect(server.log).toEqual(['POST /exports'])
  })

  it('2.10 only writes are followed: a read answered 202 is delivered as it is', async () => {
    const t = testTransport()
    const queue = track(
      createQueue({ transport: t.transport, clock: fakeClock(), follow: followJobs() }),
    )
    const read = settle(queue.fetch(url('/status')))
    await flush()
    t.calls[0]!.answer({ status: 202, headers: { location: '/jobs/1' } })
    await flush()
    expect(read.value?.status).toBe(202)
  })
})

describe('2.10 a status URL the queue must not poll fails the item with a message that says why', () => {
  async function refused(location: string, spoolOrigins?: string[]) {
    const t = testTransport()
    const queue = track(
      createQueue({
        transport: t.transport,
        clock: fakeClock(),
        follow: followJobs(),
        ...(spoolOrigins && {
          spool: localStorageSpool({
            key: 'k',
            storage: memoryStorage(),
            locks: null,
            allowedOrigins: spoolOrigins,
          }),
        }),
      }),
    )
    await queue.ready
    const failed: JobError[] = []
    queue.on('failed', (e) => failed.push(e.error as JobError))
    const result = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    await flush()
    t.calls[0]!.answer({ status: 202, headers: { location } })
    await flush()
    return { t, result, failed, queue }
  }

  it.each([
    ['javascript:alert(1)', 'it is a javascript: URL, not http or https'],
    ['data:text/plain,done', 'it is a data: URL, not http or https'],
    ['ftp://api.test/jobs/1', 'it is a ftp: URL, not http or https'],
    ['http://[::1', 'it is not a valid URL'],
  ])('2.10 %s is not polled: %s', async (location, why) => {
    const { t, result, failed } = await refused(location)
    expect(result.status).toBe('rejected')
    const error = result.reason as JobError
    expect(isJobError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'status-url', location })
    expect(error.message).toBe(`The job's status URL ${location} is not polled: ${why}`)
    expect(failed).toEqual([error])
    expect(t.calls).toHaveLength(1)
  })

  it('2.10 a status URL on another origin, not allowed by the spool, is not polled', async () => {
    const { t, result } = await refused('https://evil.test/jobs/1', ['https://cdn.test'])
    expect((result.reason as Error).message).toBe(
      "The job's status URL https://evil.test/jobs/1 is not polled: https://evil.test is neither the page's origin, nor the request's, nor one of the spool's allowedOrigins",
    )
    expect(t.calls).toHaveLength(1)
  })

  it("2.10 a status URL at one of the spool's allowedOrigins is polled", async () => {
    const { t, result, queue } = await refused('https://jobs.test/1', ['https://jobs.test'])
    expect(result.status).toBe('pending')
    expect(queue.getSnapshot().items[0]!.location).toBe('https://jobs.test/1')
    await queue.retry()
    await flush()
    expect(t.calls.map((c) => c.url)).toEqual([url('/exports'), 'https://jobs.test/1'])
  })

  it("2.10 a status URL at the request's own origin is polled, with or without a spool", async () => {
    const { result } = await refused('https://api.test/jobs/1')
    expect(result.status).toBe('pending')
  })
})
