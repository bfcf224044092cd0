import { afterEach, describe, expect, it, vi } from 'vitest'
import { isHttpError, isNetworkError, type QueueEvents } from '../../src/index.ts'
import { type Harness, settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Runs timers until the transport sees one more call. */
async function nextCall({ t, clock }: Harness, max = 50) {
  const n = t.calls.length
  await flush()
  for (let i = 0; i < max && t.calls.length === n; i++) {
    if (!(await clock.next())) break
  }
  if (t.calls.length === n) throw new Error('no new transport call')
  return t.calls.at(-1)!
}

function retrying(h: Harness) {
  const list: (QueueEvents['retrying'] & { at: number })[] = []
  h.queue.on('retrying', (e) => list.push({ ...e, at: h.clock.now() }))
  return list
}

/** A real Response that reports what a browser gives a `no-cors` request. */
const opaque = (type: 'opaque' | 'opaqueredirect') =>
  Object.defineProperties(new Response(null), {
    type: { value: type },
    status: { value: 0 },
    ok: { value: false },
  }) as Response

describe('2.4 outcome', () => {
  it('2.4 a 2xx or 3xx response resolves', async () => {
    const h = setup()
    const a = h.queue.fetch(url('/a'))
    const b = h.queue.fetch(url('/b'))
    await flush()
    h.t.calls[0]!.respond(204)
    h.t.calls[1]!.respond(304)
    expect((await a).status).toBe(204)
    expect((await b).status).toBe(304)
  })

  it('2.4 any other status fails at once with HttpError carrying response and request', async () => {
    const h = setup()
    const p = settle(h.queue.fetch(url('/a'), { method: 'POST', body: 'x' }))
    await flush()
    h.t.calls[0]!.respond(404, 'nope')
    await flush()
    expect(h.t.calls).toHaveLength(1)
    expect(isHttpError(p.reason)).toBe(true)
    const e = p.reason as import('../../src/index.ts').HttpError
    expect(e.response.status).toBe(404)
    expect(await e.response.text()).toBe('nope')
    expect(e.request.url).toBe(url('/a'))
    expect(e.request.method).toBe('POST')
  })

  it('2.4 an opaque response (no-cors) is a delivery, not a failure', async () => {
    const h = setup()
    const sent: unknown[] = []
    h.queue.on('sent', (e) => sent.push(e))
    const a = h.queue.fetch(url('/beacon'), { method: 'POST', mode: 'no-cors' })
    const b = h.queue.fetch(url('/redirect'), { method: 'POST', redirect: 'manual' })
    await flush()
    expect(h.t.calls[0]!.request.mode).toBe('no-cors')
    h.t.calls[0]!.respond(opaque('opaque'))
    await flush()
    h.t.calls[1]!.respond(opaque('opaqueredirect'))
    expect((await a).type).toBe('opaque')
    expect((await b).type).toBe('opaqueredirect')
    expect(sent).toHaveLength(2)
    expect(h.t.calls).toHaveLength(2)
  })

  it('2.4 the queue never counts a 5xx as delivered', async () => {
    const h = setup({ retry: { limit: 2 }, timeout: false })
    const sent: unknown[] = []
    h.queue.on('sent', (e) => sent.push(e))
    const p = settle(h.queue.fetch(url('/a'), { method: 'POST' }))
    await flush()
    h.t.calls[0]!.respond(500)
    ;(await nextCall(h)).respond(502)
    ;(await nextCall(h)).respond(503)
    await flush()
    expect(h.t.calls).toHaveLength(3)
    expect(p.status).toBe('rejected')
    expect(isHttpError(p.reason)).toBe(true)
    expect(sent).toEqual([])
    // 501 is not retryable, and not a delivery either.
    const q = settle(h.queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    h.t.calls[3]!.respond(501)
    await flush()
    expect(q.status).toBe('rejected')
    expect(sent).toEqual([])
  })

  it('2.4 throwHttpErrors: false resolves a failing response instead of rejecting', async () => {
    const h = setup({ timeout: false })
    const sent: QueueEvents['sent'][] = []
    h.queue.on('sent', (e) => sent.push(e))
    const a = h.queue.fetch(url('/a'), { method: 'POST', throwHttpErrors: false })
    await flush()
    h.t.calls[0]!.respond(409, 'conflict')
    const res = await a
    expect(res.status).toBe(409)
    expect(await res.text()).toBe('conflict')
    expect(sent.map((e) => e.response.status)).toEqual([409])
  })

  it('2.4 throwHttpErrors: false on the queue applies to every item; an item can turn it back on', async () => {
    const h = setup({ timeout: false, throwHttpErrors: false })
    const a = h.queue.fetch(url('/a'), { method: 'POST' })
    const b = settle(h.queue.fetch(url('/b'), { method: 'POST', throwHttpErrors: true }))
    await flush()
    h.t.calls[0]!.respond(404)
    expect((await a).status).toBe(404)
    await flush()
    h.t.calls[1]!.respond(404)
    await flush()
    expect(b.status).toBe('rejected')
    expect((b.reason as Error).name).toBe('HttpError')
  })

  it('2.4 throwHttpErrors: false still retries a retryable status first, then resolves', async () => {
    const h = setup({ retry: 1, timeout: false })
    const a = h.queue.fetch(url('/a'), { throwHttpErrors: false })
    await flush()
    h.t.calls[0]!.respond(503)
    ;(await nextCall(h)).respond(503, 'still down')
    const res = await a
    expect(res.status).toBe(503)
    expect(h.t.calls).toHaveLength(2)
  })
})

describe('2.4 connection failures', () => {
  it('2.4 a connection failure is retried at its place, with no attempt limit by default', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    const w = h.queue.fetch(url('/w'), { method: 'POST' })
    const after = settle(h.queue.fetch(url('/after'), { method: 'POST' }))
    await flush()
    h.t.calls[0]!.fail(new TypeError('Failed to fetch'))
    for (let i = 0; i < 40; i++) (await nextCall(h)).fail(new TypeError('Failed to fetch'))
    await flush()
    expect(h.t.labels().every((l) => l === 'POST /w')).toBe(true)
    expect(after.status).toBe('pending')
    expect(h.queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'queued'])
    ;(await nextCall(h)).respond(201)
    expect((await w).status).toBe(201)
    expect(h.t.labels().filter((l) => l === 'POST /w')).toHaveLength(42)
    expect(events).toHaveLength(41)
    expect(isNetworkError(events[0]!.error)).toBe(true)
    expect((events[0]!.error as Error).cause).toBeInstanceOf(TypeError)
    await flush()
    h.t.calls.at(-1)!.respond()
    await flush()
    expect(h.t.calls.at(-1)!.label).toBe('POST /after')
    expect(after.status).toBe('fulfilled')
  })

  it('2.4 backoff: the n-th retry waits random(0, min(maxDelay, baseDelay * 2 ** n))', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.fail()
    for (let i = 0; i < 39; i++) (await nextCall(h)).fail()
    await flush()
    expect(events).toHaveLength(40)
    events.forEach((e, n) => {
      expect(e.delay).toBeGreaterThanOrEqual(0)
      expect(e.delay).toBeLessThanOrEqual(Math.min(30_000, 1000 * 2 ** n))
      expect(e.item.nextAttemptAt).toBe(e.at + e.delay)
    })
    // Past the cap the bound is 30 s; 35 draws all below 16 s would mean the bound never grew.
    expect(Math.max(...events.slice(5).map((e) => e.delay))).toBeGreaterThan(16_000)
    // The retry is not sent before its time.
    const last = events.at(-1)!
    expect(h.clock.nextAt).toBe(last.item.nextAttemptAt)
  })

  it('2.4 backoff: connection failures and retryable statuses count together, so n is every retry so far', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(503)
    ;(await nextCall(h)).fail()
    ;(await nextCall(h)).respond(503)
    ;(await nextCall(h)).fail()
    await flush()
    expect(events.map((e) => e.delay)).toEqual([500, 1000, 2000, 4000])
  })

  it('2.4 backoff honours baseDelay and maxDelay', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 10, maxDelay: 50 } })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.fail()
    for (let i = 0; i < 19; i++) (await nextCall(h)).fail()
    await flush()
    for (const [n, e] of events.entries()) {
      expect(e.delay).toBeLessThanOrEqual(Math.min(50, 10 * 2 ** n))
    }
  })

  it('2.4 the retry does not start before the backoff ends', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 1000 } })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.fail()
    await flush()
    const { delay } = events[0]!
    await h.clock.advance(Math.max(0, delay - 1))
    if (delay >= 1) expect(h.t.calls).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.t.calls).toHaveLength(2)
  })

  it('2.4 networkLimit bounds connection retries, then the item fails with NetworkError', async () => {
    const h = setup({ timeout: false, retry: { networkLimit: 2 } })
    const failed: QueueEvents['failed'][] = []
    h.queue.on('failed', (e) => failed.push(e))
    const p = settle(h.queue.fetch(url('/w'), { method: 'POST' }))
    await flush()
    const boom = new TypeError('connection reset')
    h.t.calls[0]!.fail(boom)
    ;(await nextCall(h)).fail(boom)
    ;(await nextCall(h)).fail(boom)
    await flush()
    expect(h.t.calls).toHaveLength(3)
    expect(isNetworkError(p.reason)).toBe(true)
    expect((p.reason as Error).cause).toBe(boom)
    expect(failed).toHaveLength(1)
    expect(failed[0]!.error).toBe(p.reason)
  })

  it('2.4 a network-error response is a connection failure', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(Response.error())
    ;(await nextCall(h)).respond(201)
    expect((await p).status).toBe(201)
    expect(events).toHaveLength(1)
    expect(isNetworkError(events[0]!.error)).toBe(true)
  })
})

describe('2.4 retryable statuses', () => {
  it('2.4 retryable statuses are retried up to retry.limit (default 5 retries)', async () => {
    const h = setup({ timeout: false })
    const p = settle(h.queue.fetch(url('/w'), { method: 'POST' }))
    await flush()
    h.t.calls[0]!.respond(503)
    for (let i = 0; i < 5; i++) (await nextCall(h)).respond(503)
    await flush()
    await h.clock.advance(600_000)
    expect(h.t.calls).toHaveLength(6)
    expect(isHttpError(p.reason)).toBe(true)
    expect((p.reason as { response: Response }).response.status).toBe(503)
  })

  it.each([408, 425, 429, 500, 502, 503, 504])('2.4 status %i is retried', async (status) => {
    const h = setup({ timeout: false })
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(status)
    ;(await nextCall(h)).respond(200)
    expect((await p).status).toBe(200)
  })

  it.each([400, 401, 403, 404, 409, 410, 422, 501, 505])(
    '2.4 status %i fails at once',
    async (status) => {
      const h = setup({ timeout: false })
      const p = settle(h.queue.fetch(url('/w'), { method: 'POST' }))
      await flush()
      h.t.calls[0]!.respond(status)
      await flush()
      await h.clock.advance(600_000)
      expect(h.t.calls).toHaveLength(1)
      expect(isHttpError(p.reason)).toBe(true)
    },
  )

  it('2.4 retry: n, per item and per queue, counts retries; retry: 0 disables them', async () => {
    const h = setup({ timeout: false, retry: 0 })
    const none = settle(h.queue.fetch(url('/none'), { method: 'POST' }))
    await flush()
    h.t.calls[0]!.respond(503)
    await flush()
    expect(none.status).toBe('rejected')
    const two = settle(h.queue.fetch(url('/two'), { method: 'POST', retry: 2 }))
    await flush()
    h.t.calls[1]!.respond(503)
    ;(await nextCall(h)).respond(503)
    ;(await nextCall(h)).respond(503)
    await flush()
    await h.clock.advance(600_000)
    expect(two.status).toBe('rejected')
    expect(h.t.labels()).toEqual(['POST /none', 'POST /two', 'POST /two', 'POST /two'])
  })

  it('2.4 retry.statuses replaces the list of retryable statuses', async () => {
    const h = setup({ timeout: false, retry: { statuses: [418] } })
    const a = h.queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(418)
    ;(await nextCall(h)).respond(200)
    expect((await a).status).toBe(200)
    const b = settle(h.queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    h.t.calls[2]!.respond(503)
    await flush()
    expect(b.status).toBe('rejected')
  })

  it('2.4 the body of a response that is retried is cancelled, so its connection is freed', async () => {
    const h = setup({ timeout: false })
    const cancelled: unknown[] = []
    const body = new ReadableStream({ cancel: (reason) => void cancelled.push(reason) })
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(new Response(body, { status: 503 }))
    ;(await nextCall(h)).respond(200)
    expect((await p).status).toBe(200)
    expect(cancelled).toHaveLength(1)
  })

  it('2.4 a retryable status without a body is retried like any other', async () => {
    const h = setup({ timeout: false })
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(new Response(null, { status: 503 }))
    ;(await nextCall(h)).respond(200)
    expect((await p).status).toBe(200)
    expect(h.t.calls).toHaveLength(2)
  })

  it('2.4 Retry-After in seconds is honoured', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(429, null, { 'retry-after': '7' })
    await flush()
    expect(events[0]!.delay).toBe(7000)
    expect(events[0]!.item.nextAttemptAt).toBe(h.clock.now() + 7000)
    await h.clock.advance(6999)
    expect(h.t.calls).toHaveLength(1)
    await h.clock.advance(1)
    expect(h.t.calls).toHaveLength(2)
  })

  it('2.4 Retry-After as an HTTP date is honoured', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    const at = new Date(h.clock.now() + 12_000).toUTCString()
    h.t.calls[0]!.respond(503, null, { 'retry-after': at })
    await flush()
    expect(events[0]!.delay).toBe(12_000)
  })

  it('2.4 Retry-After in the past means now', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(503, null, {
      'retry-after': new Date(h.clock.now() - 60_000).toUTCString(),
    })
    await flush()
    expect(events[0]!.delay).toBe(0)
  })

  it('2.4 Retry-After is capped at 5 minutes by default, and at maxRetryAfter', async () => {
    const h = setup({ timeout: false })
    const events = retrying(h)
    h.queue.fetch(url('/w'), { method: 'POST' })
    h.queue.fetch(url('/x'), { method: 'POST', retry: { maxRetryAfter: 5000 } })
    await flush()
    h.t.calls[0]!.respond(503, null, { 'retry-after': '100000' })
    await flush()
    expect(events[0]!.delay).toBe(300_000)
    ;(await nextCall(h)).respond()
    await flush()
    h.t.calls[2]!.respond(503, null, { 'retry-after': '3600' })
    await flush()
    expect(events[1]!.delay).toBe(5000)
  })

  it.each(['soon', '5.5', '-3', '1e3', ''])(
    '2.4 an unparsable Retry-After (%j) falls back to the backoff',
    async (value) => {
      // With this draw the backoff waits 990 ms; `Date.parse` reads '5.5' and '-3' as dates long
      // past, which would mean 0.
      vi.spyOn(Math, 'random').mockReturnValue(0.99)
      const h = setup({ timeout: false })
      const events = retrying(h)
      h.queue.fetch(url('/w'), { method: 'POST' })
      await flush()
      h.t.calls[0]!.respond(503, null, { 'retry-after': value })
      await flush()
      expect(events[0]!.delay).toBe(990)
    },
  )
})

describe('2.4 waking up', () => {
  it('2.4 offline is a hint, not a gate: attempts go on at the backoff pace, never less often than maxDelay', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 1000, maxDelay: 4000 } })
    h.online.setOnline(false)
    h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    // The browser says offline, yet the write is tried: the flag is wrong on some VPNs.
    expect(h.t.calls).toHaveLength(1)
    expect(h.queue.getSnapshot()).toMatchObject({ status: 'waiting', online: false, pending: 1 })
    for (let i = 0; i < 5; i++) {
      h.t.calls.at(-1)!.fail()
      await flush()
      await h.clock.advance(4000)
    }
    expect(h.t.calls).toHaveLength(6)
    expect(h.queue.getSnapshot()).toMatchObject({ status: 'waiting', online: false })
  })

  it('2.4 a delivery while the browser says offline marks the queue online again', async () => {
    const h = setup({ timeout: false })
    h.online.setOnline(false)
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(200)
    expect((await p).status).toBe(200)
    await flush()
    expect(h.queue.getSnapshot()).toMatchObject({ status: 'idle', online: true })
  })

  it('2.4 an answer to an attempt that started before the browser said offline does not mark it online', async () => {
    const h = setup({ timeout: false })
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    await h.clock.advance(10)
    h.online.setOnline(false)
    h.t.calls[0]!.respond(200)
    expect((await p).status).toBe(200)
    await flush()
    expect(h.queue.getSnapshot().online).toBe(false)
  })

  it('2.4 going online wakes a write waiting offline at once', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 20_000, maxDelay: 20_000 } })
    h.online.setOnline(false)
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.fail()
    await flush()
    await h.clock.advance(1)
    expect(h.t.calls).toHaveLength(1)
    h.online.setOnline(true)
    await flush()
    expect(h.t.calls).toHaveLength(2)
    h.t.calls[1]!.respond()
    expect((await p).status).toBe(200)
  })

  it('2.4 retries wake at once when the connection comes back', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 20_000 } })
    const events = retrying(h)
    const p = h.queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    h.online.setOnline(false)
    h.t.calls[0]!.fail()
    await flush()
    expect(events).toHaveLength(1)
    h.online.setOnline(true)
    await flush()
    expect(h.t.calls).toHaveLength(2)
    h.t.calls[1]!.respond()
    expect((await p).status).toBe(200)
  })

  it('2.4 retries wake at once when the page becomes visible', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const h = setup({ timeout: false, retry: { baseDelay: 20_000, maxDelay: 20_000 } })
    const events = retrying(h)
    h.queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.fail()
    await flush()
    // The backoff alone would wait 10 s; nothing moves the clock.
    expect(events[0]!.delay).toBe(10_000)
    expect(h.t.calls).toHaveLength(1)
    h.online.becomeVisible()
    await flush()
    expect(h.t.calls).toHaveLength(2)
    expect(h.queue.getSnapshot().items[0]!.state).toBe('sending')
  })

  it('2.4 retry(id) retries one item waiting on a backoff now', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 20_000, maxDelay: 20_000 } })
    h.queue.fetch(url('/a'))
    h.queue.fetch(url('/b'))
    await flush()
    h.t.calls[0]!.fail()
    h.t.calls[1]!.fail()
    await flush()
    h.queue.retry(h.queue.getSnapshot().items[1]!.id)
    await flush()
    expect(h.t.labels()).toEqual(['GET /a', 'GET /b', 'GET /b'])
    expect(h.queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'sending'])
  })

  it('2.4 retry() with no id wakes everything waiting on a backoff', async () => {
    const h = setup({ timeout: false, retry: { baseDelay: 20_000 } })
    h.queue.fetch(url('/a'))
    h.queue.fetch(url('/b'))
    await flush()
    h.t.calls[0]!.fail()
    h.t.calls[1]!.respond(503)
    await flush()
    expect(h.queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'retrying'])
    h.queue.retry()
    await flush()
    expect(h.t.labels()).toEqual(['GET /a', 'GET /b', 'GET /a', 'GET /b'])
  })
})

describe('2.4 onFailure', () => {
  it("2.4 onFailure 'continue' (default): the promise rejects, failed is raised, the lane moves on", async () => {
    const h = setup()
    const failed: QueueEvents['failed'][] = []
    h.queue.on('failed', (e) => failed.push(e))
    const a = settle(h.queue.fetch(url('/a'), { method: 'POST', meta: { n: 1 } }))
    const b = h.queue.fetch(url('/b'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(400)
    await flush()
    expect(a.status).toBe('rejected')
    expect(failed).toHaveLength(1)
    expect(failed[0]!.item.meta).toEqual({ n: 1 })
    expect(failed[0]!.error).toBe(a.reason)
    h.t.calls[1]!.respond()
    expect((await b).status).toBe(200)
  })

  it("2.4 onFailure 'pause': the lane parks behind the failed write until retry(id)", async () => {
    const h = setup({ onFailure: 'pause' })
    const failed: QueueEvents['failed'][] = []
    h.queue.on('failed', (e) => failed.push(e))
    const a = settle(h.queue.fetch(url('/a'), { method: 'POST' }))
    const b = settle(h.queue.fetch(url('/b')))
    await flush()
    h.t.calls[0]!.respond(400)
    await flush()
    await h.clock.advance(600_000)
    const snap = h.queue.getSnapshot()
    expect(snap.items.map((i) => i.state)).toEqual(['failed', 'queued'])
    expect(isHttpError(snap.items[0]!.error)).toBe(true)
    expect(snap.status).toBe('waiting')
    expect(failed).toHaveLength(1)
    expect(a.status).toBe('pending')
    expect(h.t.calls).toHaveLength(1)
    h.queue.retry(snap.items[0]!.id)
    await flush()
    expect(h.t.calls).toHaveLength(2)
    h.t.calls[1]!.respond(201)
    await flush()
    expect(a.status).toBe('fulfilled')
    h.t.calls[2]!.respond()
    await flush()
    expect(b.status).toBe('fulfilled')
  })

  it("2.4 onFailure 'pause': the failed event shows the item as the snapshot does, failed with its error", async () => {
    const h = setup({ onFailure: 'pause' })
    const failed: QueueEvents['failed'][] = []
    h.queue.on('failed', (e) => failed.push(e))
    h.queue.fetch(url('/a'), { method: 'POST', meta: 'a' })
    await flush()
    h.t.calls[0]!.respond(409)
    await flush()
    expect(failed[0]!.item).toMatchObject({ state: 'failed', meta: 'a' })
    expect(failed[0]!.item.error).toBe(failed[0]!.error)
    expect(h.queue.getSnapshot().items[0]).toEqual(failed[0]!.item)
  })

  it("2.4 onFailure 'pause': retry(id) gives a parked item its full retry budget again", async () => {
    const h = setup({ onFailure: 'pause', retry: 1, timeout: false })
    h.queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(503)
    ;(await nextCall(h)).respond(503)
    await flush()
    const [item] = h.queue.getSnapshot().items
    expect(item!.state).toBe('failed')
    h.queue.retry(item!.id)
    await flush()
    h.t.calls[2]!.respond(503)
    ;(await nextCall(h)).respond(200)
    await h.queue.whenIdle()
    expect(h.t.calls).toHaveLength(4)
  })

  it("2.4 onFailure 'pause': discard(id) rejects the parked write with its failure and the lane goes on", async () => {
    const h = setup({ onFailure: 'pause' })
    const a = settle(h.queue.fetch(url('/a'), { method: 'POST' }))
    const b = h.queue.fetch(url('/b'), { method: 'POST' })
    await flush()
    h.t.calls[0]!.respond(422)
    await flush()
    const [item] = h.queue.getSnapshot().items
    expect(h.queue.discard(item!.id)).toBe(true)
    await flush()
    expect(a.status).toBe('rejected')
    expect(a.reason).toBe(item!.error)
    expect(isHttpError(a.reason)).toBe(true)
    h.t.calls[1]!.respond()
    expect((await b).status).toBe(200)
    expect(h.queue.discard(item!.id)).toBe(false)
  })

  it("2.4 onFailure 'pause' parks writes only: a failed read rejects", async () => {
    const h = setup({ onFailure: 'pause' })
    const r = settle(h.queue.fetch(url('/r')))
    await flush()
    h.t.calls[0]!.respond(404)
    await flush()
    expect(r.status).toBe('rejected')
    expect(h.queue.getSnapshot().status).toBe('idle')
  })

  it("2.4 onFailure 'pause' with throwHttpErrors: false never parks", async () => {
    const h = setup({ onFailure: 'pause' })
    const p = h.queue.fetch(url('/a'), { method: 'POST', throwHttpErrors: false })
    await flush()
    h.t.calls[0]!.respond(400)
    expect((await p).status).toBe(400)
    expect(h.queue.getSnapshot().status).toBe('idle')
  })
})
