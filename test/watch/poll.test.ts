import { describe, expect, it, type MockInstance, vi } from 'vitest'
import { type HttpError, isHttpError, isNetworkError } from '../../src/errors.ts'
import type { FetchQueue } from '../../src/index.ts'
import { flush } from '../support/tick.ts'
import { json, nextCall, url, watched } from './support.ts'

describe('2.11 polling: ticks', () => {
  it('2.11 the first poll starts at once, through the queue, as a read', async () => {
    const h = watched()
    await flush()
    expect(h.t.labels()).toEqual(['GET /state'])
    expect(h.w.getSnapshot()).toMatchObject({ status: 'connecting', data: undefined })
    json(h.last(), { n: 1 })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'live', data: { n: 1 }, error: undefined })
    expect(h.w.getSnapshot().updatedAt).toBe(h.clock.now())
  })

  it('2.11 the next tick starts interval ms after the previous one settled, never on a fixed beat', async () => {
    const h = watched('/state', { interval: 250 })
    await flush()
    // A slow answer: 900 ms on the wire. A fixed beat would have fired three more polls by now.
    await h.clock.advance(900)
    expect(h.gets()).toHaveLength(1)
    json(h.last(), { n: 1 })
    await flush()
    const answered = h.clock.now()
    await h.clock.advance(249)
    expect(h.gets()).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.gets()).toHaveLength(2)
    expect(h.clock.now() - answered).toBe(250)
  })

  it('2.11 at most one tick is pending, and ticks never overlap one another', async () => {
    const h = watched('/state', { interval: 100 })
    for (let i = 0; i < 5; i++) {
      await flush()
      await h.clock.advance(10_000)
      expect(h.t.live).toHaveLength(1)
      json(h.last(), { i })
    }
    expect(h.t.maxLive).toBe(1)
    expect(h.t.overlaps).toEqual([])
    expect(h.gets()).toHaveLength(5)
  })

  it('2.11 a tick waits for the writes enqueued before it and never overlaps one', async () => {
    let write!: Promise<Response>
    const h = watched('/state', {}, {}, ({ queue }) => {
      write = queue.fetch(url('/state'), { method: 'PUT', body: '{"n":2}' })
    })
    await flush()
    expect(h.t.labels()).toEqual(['PUT /state'])
    h.t.calls[0]!.respond(204)
    await write
    await flush()
    expect(h.t.labels()).toEqual(['PUT /state', 'GET /state'])
    expect(h.t.calls[1]!.overlapping).toEqual([])
    // And a write enqueued while the tick is on the wire waits for it.
    h.queue.fetch(url('/state'), { method: 'PUT', body: '{"n":3}' })
    await flush()
    expect(h.t.calls).toHaveLength(2)
    json(h.t.calls[1]!, { n: 2 })
    await flush()
    expect(h.t.labels().at(-1)).toBe('PUT /state')
    expect(h.w.getSnapshot().data).toEqual({ n: 2 })
    expect(h.t.overlaps).toEqual([])
  })

  it('2.11 refresh() replaces a waiting tick with one behind every write enqueued before it', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 0 })
    await flush()
    h.queue.fetch(url('/save'), { method: 'POST', body: '1' })
    await h.clock.advance(1000) // the next tick is now queued behind the first save
    await flush()
    h.queue.fetch(url('/save'), { method: 'POST', body: '2' })
    h.w.refresh()
    await flush()
    expect(h.queue.getSnapshot().items.map((i) => i.url)).toEqual([
      url('/save'),
      url('/save'),
      url('/state'),
    ])
    h.last().respond()
    await nextCall(h)
    h.last().respond()
    await flush()
    // One poll, after both saves: it sees the second one too.
    expect(h.t.labels()).toEqual(['GET /state', 'POST /save', 'POST /save', 'GET /state'])
  })

  it('2.11 refresh() during a tick on the wire aborts it and asks again; the stale answer is dropped', async () => {
    const h = watched()
    await flush()
    const stale = h.last()
    h.w.refresh()
    await flush()
    expect(stale.signal.aborted).toBe(true)
    expect(h.gets()).toHaveLength(2)
    json(h.last(), { fresh: true })
    await flush()
    expect(h.w.getSnapshot().data).toEqual({ fresh: true })
    expect(h.t.live).toEqual([])
    // The stale answer started no tick of its own: one poll per interval, none cut short.
    for (let i = 3; i <= 5; i++) {
      await h.clock.advance(1000)
      expect(h.gets()).toHaveLength(i)
      json(h.last(), { fresh: true })
    }
    expect(h.gets().filter((c) => c.signal.aborted)).toEqual([stale])
  })

  it('2.11 the lane option goes to queue.fetch, with the fields the watch controls', async () => {
    let fetch!: MockInstance<FetchQueue['fetch']>
    watched(
      '/state',
      { lane: 'room:1', init: { headers: { authorization: 'Bearer t' }, credentials: 'include' } },
      {},
      ({ queue }) => {
        fetch = vi.spyOn(queue, 'fetch')
      },
    )
    const [input, init] = fetch.mock.calls[0]!
    expect(input).toBe(url('/state'))
    expect(init).toMatchObject({
      lane: 'room:1',
      kind: 'read',
      credentials: 'include',
      throwHttpErrors: true,
      retry: { limit: 0, networkLimit: 0 },
    })
    expect(typeof init!.dedupe).toBe('string')
    expect(new Headers(init!.headers).get('authorization')).toBe('Bearer t')
  })
})

describe('2.11 the browser cache stays out of the way', () => {
  // EventSource sends its request with cache mode no-store, and so does a watch: Firefox holds a
  // second GET of a URL whose first response is still open (another tab's event stream) until
  // that response ends, which for a stream is never; and a poll must never get a cached answer.
  it('2.11 every poll and connection goes out with cache: no-store', async () => {
    const h = watched()
    await flush()
    expect(h.last().request.cache).toBe('no-store')
    json(h.last(), { n: 1 }, { etag: '"v1"' })
    await h.clock.advance(1000)
    expect(h.gets()).toHaveLength(2)
    expect(h.last().request.cache).toBe('no-store')
  })

  it("2.11 the app's own cache mode wins", async () => {
    const h = watched('/state', { init: { cache: 'reload' } })
    await flush()
    expect(h.last().request.cache).toBe('reload')
  })
})

describe('2.11 polling: unchanged state costs nothing', () => {
  it('2.11 the last ETag goes out as If-None-Match, Last-Modified as If-Modified-Since', async () => {
    const h = watched()
    await flush()
    expect(h.last().request.headers.has('if-none-match')).toBe(false)
    json(h.last(), { n: 1 }, { etag: '"v1"', 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' })
    const next = await nextCall(h)
    expect(next.request.headers.get('if-none-match')).toBe('"v1"')
    expect(next.request.headers.get('if-modified-since')).toBe('Wed, 21 Oct 2015 07:28:00 GMT')
    // An answer without validators: the next poll is unconditional again.
    json(next, { n: 2 })
    const third = await nextCall(h)
    expect(third.request.headers.has('if-none-match')).toBe(false)
    expect(third.request.headers.has('if-modified-since')).toBe(false)
  })

  it('2.11 a 304 notifies no one and keeps the same snapshot object', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 1 }, { etag: '"v1"' })
    await flush()
    const before = h.w.getSnapshot()
    const notified = h.notified
    for (let i = 0; i < 3; i++) (await nextCall(h)).respond(304)
    await flush()
    expect(h.gets()).toHaveLength(4)
    expect(h.w.getSnapshot()).toBe(before)
    expect(h.notified).toBe(notified)
  })

  it('2.11 data equal to the previous data notifies no one and keeps the snapshot (any key order)', async () => {
    const h = watched()
    await flush()
    json(h.last(), { a: 1, list: [1, { b: 2 }] })
    await flush()
    const before = h.w.getSnapshot()
    const notified = h.notified
    json(await nextCall(h), { list: [1, { b: 2 }], a: 1 })
    await flush()
    expect(h.w.getSnapshot()).toBe(before)
    expect(h.notified).toBe(notified)
    json(await nextCall(h), { a: 1, list: [1, { b: 3 }] })
    await flush()
    expect(h.w.getSnapshot()).not.toBe(before)
    expect(h.w.getSnapshot().data).toEqual({ a: 1, list: [1, { b: 3 }] })
    expect(h.notified).toBe(notified + 1)
  })

  it("2.11 compare: 'text' keeps the snapshot when the body is the same text, without parsing it", async () => {
    const parse = vi.fn((text: string) => JSON.parse(text))
    const h = watched('/state', { compare: 'text', parse })
    await flush()
    h.last().respond(200, '{"n":1}')
    await flush()
    const before = h.w.getSnapshot()
    ;(await nextCall(h)).respond(200, '{"n":1}')
    await flush()
    expect(parse).toHaveBeenCalledTimes(1)
    expect(h.w.getSnapshot()).toBe(before)
    // The same state written differently is a change to a text comparison.
    ;(await nextCall(h)).respond(200, '{ "n": 1 }')
    await flush()
    expect(parse).toHaveBeenCalledTimes(2)
    expect(h.w.getSnapshot()).not.toBe(before)
  })

  it('2.11 compare: a function decides what counts as unchanged', async () => {
    const h = watched<{ rev: number; at: string }>('/state', {
      compare: (a, b) => a.rev === b.rev,
    })
    await flush()
    json(h.last(), { rev: 1, at: 'a' })
    await flush()
    const before = h.w.getSnapshot()
    json(await nextCall(h), { rev: 1, at: 'b' })
    await flush()
    expect(h.w.getSnapshot()).toBe(before)
    json(await nextCall(h), { rev: 2, at: 'c' })
    await flush()
    expect(h.w.getSnapshot().data).toEqual({ rev: 2, at: 'c' })
  })

  it('2.11 parse turns a body that is not JSON into data', async () => {
    const h = watched('/state', { parse: (text) => text.split(',') })
    await flush()
    h.last().respond(200, 'a,b')
    await flush()
    expect(h.w.getSnapshot().data).toEqual(['a', 'b'])
  })
})

describe('2.11 polling: failures', () => {
  it('2.11 a failed tick sets error, keeps the last good data, and the next success clears it', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    ;(await nextCall(h)).respond(500, 'boom')
    await flush()
    const failed = h.w.getSnapshot()
    expect(failed.status).toBe('retrying')
    expect(failed.data).toEqual({ n: 1 })
    expect(isHttpError(failed.error)).toBe(true)
    expect((failed.error as unknown as HttpError).response.status).toBe(500)
    json(await nextCall(h), { n: 2 })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'live', data: { n: 2 }, error: undefined })
  })

  it('2.11 a failed tick of any status is followed by the next tick, after interval', async () => {
    const h = watched('/state', { interval: 500 })
    await flush()
    for (const status of [404, 401, 503, 500]) {
      const at = h.clock.now()
      h.last().respond(status)
      const next = await nextCall(h)
      expect(h.clock.now() - at).toBe(500)
      expect(next.label).toBe('GET /state')
    }
    // The queue itself never retried behind the watch: one call per tick.
    expect(h.queue.getSnapshot().items).toHaveLength(1)
  })

  it('2.11 a 304 after a failure clears the error', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 1 }, { etag: '"1"' })
    ;(await nextCall(h)).respond(502)
    await flush()
    expect(h.w.getSnapshot().error).toBeDefined()
    ;(await nextCall(h)).respond(304)
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'live', error: undefined, data: { n: 1 } })
  })

  it('2.11 a dropped connection sets error, and the next tick follows after the backoff', async () => {
    const h = watched('/state', { interval: 100 }, { retry: { baseDelay: 1000, maxDelay: 4000 } })
    await flush()
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      h.last().fail()
      await flush()
      waits.push(h.clock.nextAt! - h.clock.now())
      await nextCall(h)
    }
    expect(isNetworkError(h.w.getSnapshot().error)).toBe(true)
    expect(h.w.getSnapshot().status).toBe('retrying')
    // Never sooner than the interval; the bound doubles from 1 s up to the 4 s cap.
    waits.forEach((wait, n) => {
      expect(wait).toBeGreaterThanOrEqual(100)
      expect(wait).toBeLessThanOrEqual(Math.max(100, Math.min(4000, 1000 * 2 ** n)))
    })
    expect(Math.max(...waits.slice(3))).toBeGreaterThan(1000)
    json(h.last(), { ok: true })
    await flush()
    // A success resets the backoff: the next tick comes after the interval.
    expect(h.clock.nextAt! - h.clock.now()).toBe(100)
  })

  it("2.11 a failed tick honours the server's Retry-After", async () => {
    const h = watched('/state', { interval: 100 })
    await flush()
    h.last().respond(503, 'busy', { 'retry-after': '7' })
    await flush()
    expect(h.clock.nextAt! - h.clock.now()).toBe(7000)
  })

  it('2.11 data that does not parse goes to error, the last good data stays, the watch keeps running', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 1 }, { etag: '"1"' })
    const next = await nextCall(h)
    next.respond(200, '{ not json', { etag: '"2"' })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'retrying', data: { n: 1 } })
    expect(h.w.getSnapshot().error).toBeInstanceOf(SyntaxError)
    // The state it could not read is not the one it asks about: the old ETag goes out.
    const third = await nextCall(h)
    expect(third.request.headers.get('if-none-match')).toBe('"1"')
    json(third, { n: 3 })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'live', data: { n: 3 }, error: undefined })
  })

  it('2.11 a parse that throws a non-Error still lands in error as an Error', async () => {
    const h = watched('/state', {
      parse: () => {
        throw 'nope'
      },
    })
    await flush()
    h.last().respond(200, 'x')
    await flush()
    expect(h.w.getSnapshot().error).toBeInstanceOf(Error)
    expect(h.w.getSnapshot().error!.message).toBe('nope')
    await nextCall(h)
  })

  it('2.11 an opaque answer (no-cors) is a failure: nothing in it can be read', async () => {
    const h = watched()
    await flush()
    h.last().respond(
      Object.defineProperties(new Response(null), {
        type: { value: 'opaque' },
        status: { value: 0 },
        ok: { value: false },
      }) as Response,
    )
    await flush()
    expect(isNetworkError(h.w.getSnapshot().error)).toBe(true)
    expect(h.w.getSnapshot()).toMatchObject({ status: 'retrying', data: undefined })
  })

  it('2.11 a 204 ends the watch (closed)', async () => {
    const h = watched()
    await flush()
    h.last().respond(204)
    await flush()
    expect(h.w.getSnapshot().status).toBe('closed')
    await h.clock.advance(60_000)
    expect(h.gets()).toHaveLength(1)
  })

  it('2.11 input the queue refuses closes the watch with the TypeError, never retried', async () => {
    const h = watched('/state', { init: { json: { no: 'body on GET' } } })
    await flush()
    const snapshot = h.w.getSnapshot()
    expect(snapshot.status).toBe('closed')
    expect(snapshot.error).toBeInstanceOf(TypeError)
    expect(snapshot.error!.message).toMatch(/^fetch-queue: /)
    await h.clock.advance(60_000)
    expect(h.t.calls).toHaveLength(0)
  })

  it('2.11 a disposed queue closes the watch with QueueClosedError', async () => {
    const h = watched()
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    h.queue.dispose()
    await h.clock.advance(1000)
    expect(h.w.getSnapshot()).toMatchObject({ status: 'closed', data: { n: 1 } })
    expect(h.w.getSnapshot().error?.name).toBe('QueueClosedError')
  })
})

describe('2.11 polling: hidden pages, online, close', () => {
  it('2.11 polling pauses while the page is hidden and polls at once when it is visible again', async () => {
    const h = watched('/state', { interval: 1000 })
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    h.page.hide()
    await h.clock.advance(1000)
    expect(h.w.getSnapshot().status).toBe('paused')
    await h.clock.advance(60_000)
    expect(h.gets()).toHaveLength(1)
    h.page.show()
    await flush()
    expect(h.gets()).toHaveLength(2)
    expect(h.w.getSnapshot().status).toBe('live')
  })

  it('2.11 a tick on the wire when the page hides still lands; the next one waits', async () => {
    const h = watched()
    await flush()
    h.page.hide()
    json(h.last(), { n: 1 })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'paused', data: { n: 1 } })
    await h.clock.advance(10_000)
    expect(h.gets()).toHaveLength(1)
  })

  it("2.11 whenHidden: 'continue' keeps polling while the page is hidden", async () => {
    const h = watched('/state', { whenHidden: 'continue' })
    await flush()
    h.page.hide()
    json(h.last(), { n: 1 })
    await flush()
    expect(h.w.getSnapshot().status).toBe('live')
    json(await nextCall(h), { n: 2 })
    await nextCall(h)
    expect(h.gets()).toHaveLength(3)
  })

  it('2.11 a hidden page comes back within one interval even without a "try now" signal', async () => {
    const h = watched('/state', { interval: 1000 })
    await flush()
    json(h.last(), {})
    h.page.hide()
    await h.clock.advance(5000)
    expect(h.gets()).toHaveLength(1)
    h.page.visible = true
    await h.clock.advance(1000)
    expect(h.gets()).toHaveLength(2)
  })

  it('2.11 an immediate tick when the connection comes back', async () => {
    const h = watched('/state', { interval: 60_000 })
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    h.online.setOnline(false)
    h.online.setOnline(true)
    await flush()
    expect(h.gets()).toHaveLength(2)
    // Only one, however many signals arrive while it is pending.
    h.online.setOnline(true)
    h.page.show()
    await flush()
    expect(h.gets()).toHaveLength(2)
  })

  it('2.11 "try now" while the page is hidden does not poll', async () => {
    const h = watched()
    await flush()
    json(h.last(), {})
    h.page.hide()
    await h.clock.advance(1000)
    h.online.setOnline(true)
    await flush()
    expect(h.gets()).toHaveLength(1)
    expect(h.w.getSnapshot().status).toBe('paused')
  })

  it('2.11 an answer whose body arrives after close() changes nothing', async () => {
    const h = watched()
    await flush()
    let send!: (text: string) => void
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        send = (text) => {
          c.enqueue(new TextEncoder().encode(text))
          c.close()
        }
      },
    })
    h.last().respond(new Response(body, { headers: { 'content-type': 'application/json' } }))
    await flush()
    h.w.close()
    send('{"late":true}')
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'closed', data: undefined })
  })

  it('2.11 close() aborts the pending tick, stops the timer and reports closed once', async () => {
    const h = watched()
    await flush()
    const call = h.last()
    const before = h.notified
    h.w.close()
    h.w.close()
    await flush()
    expect(call.signal.aborted).toBe(true)
    expect(h.w.getSnapshot().status).toBe('closed')
    expect(h.notified).toBe(before + 1)
    expect(h.queue.getSnapshot().items).toEqual([])
    expect(h.clock.timers).toBe(0)
    h.w.refresh()
    h.online.setOnline(true)
    await h.clock.advance(60_000)
    expect(h.t.calls).toHaveLength(1)
    expect(h.online.listeners).toBe(1) // the queue's own; the watch's is gone
  })
})
