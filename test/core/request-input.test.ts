// A `Request` as input: its own signal, as fetch honours it.
import { describe, expect, it } from 'vitest'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const aborted = (reason: unknown) => {
  const c = new AbortController()
  c.abort(reason)
  return c.signal
}

describe('2.6 a Request’s own signal', () => {
  it('2.6 a Request whose signal is already aborted rejects with its reason and sends nothing', async () => {
    const { queue, t } = setup()
    const reason = { why: 'gone' }
    const p = settle(queue.fetch(new Request(url('/a'), { signal: aborted(reason) })))
    await flush()
    expect(p.reason).toBe(reason)
    expect(t.calls).toHaveLength(0)
    expect(queue.getSnapshot().pending).toBe(0)
  })

  it('2.6 aborting a Request’s signal while it is queued removes it and rejects with the reason', async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    queue.fetch(url('/first'), { method: 'POST' })
    const p = settle(
      queue.fetch(new Request(url('/second'), { method: 'POST', signal: ctrl.signal })),
    )
    const reason = new Error('user left')
    ctrl.abort(reason)
    await flush()
    expect(p.reason).toBe(reason)
    t.calls[0]!.respond()
    await queue.whenIdle()
    expect(t.labels()).toEqual(['POST /first'])
  })

  it('2.6 aborting a Request’s signal in flight aborts the transport call and rejects with the reason', async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    const p = settle(
      queue.fetch(new Request(url('/a'), { method: 'PUT', body: 'x', signal: ctrl.signal })),
    )
    const next = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    const reason = new Error('stop')
    ctrl.abort(reason)
    await flush()
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(p.reason).toBe(reason)
    t.calls[1]!.respond()
    await flush()
    expect(next.status).toBe('fulfilled')
  })

  it('2.6 `init.signal` overrides the Request’s own; `signal: null` removes it, as with fetch', async () => {
    const { queue, t } = setup()
    const mine = new AbortController()
    const request = () => new Request(url('/a'), { signal: aborted('request') })
    const overridden = settle(queue.fetch(request(), { signal: mine.signal }))
    const removed = settle(queue.fetch(request(), { signal: null }))
    const kept = settle(queue.fetch(request(), { method: 'POST' }))
    await flush()
    expect(kept.reason).toBe('request')
    expect(t.calls).toHaveLength(2)
    mine.abort('mine')
    t.calls[1]!.respond()
    await flush()
    expect(overridden.reason).toBe('mine')
    expect(removed.status).toBe('fulfilled')
  })

  it('2.6 input fetch refuses is a TypeError even when the signal is already aborted', async () => {
    const { queue } = setup()
    const error = await queue.fetch('http://[::1', { signal: AbortSignal.abort() }).catch((e) => e)
    expect(error).toBeInstanceOf(TypeError)
    const request = new Request(url('/a'), { signal: AbortSignal.abort() })
    const bad = await queue.fetch(request, { method: 'TRACE' }).catch((e) => e)
    expect(bad).toBeInstanceOf(TypeError)
  })
})

describe('a Request from another realm (an iframe, a second copy of undici)', () => {
  // undici's own Request class is not the global one: `instanceof Request` is false for it, as it
  // is for a Request made in an iframe.
  it('is read as a Request: URL, method, headers, body and signal', async () => {
    const { Request: Foreign } = await import('undici')
    const { queue, t } = setup({}, { auto: () => 200 })
    const request = new Foreign(url('/stops'), {
      method: 'PUT',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', 'x-trace': 'a' },
    })
    expect(request instanceof Request).toBe(false)
    await queue.fetch(request as unknown as Request)
    expect(t.calls[0]!.url).toBe(url('/stops'))
    expect(t.calls[0]!.method).toBe('PUT')
    expect(t.calls[0]!.body).toBe('{"a":1}')
    expect(t.calls[0]!.request.headers.get('x-trace')).toBe('a')
    const aborted = new Foreign(url('/a'), { signal: AbortSignal.abort('gone') })
    expect(await queue.fetch(aborted as unknown as Request).catch((e) => e)).toBe('gone')
    expect(t.calls).toHaveLength(1)
  })
})

// Firefox has no `Request.prototype.body`: the body is there, only not readable as a stream.
const withoutBodyProperty = (request: Request) =>
  new Proxy(request, {
    has: (target, p) => p !== 'body' && Reflect.has(target, p),
    get(target, p) {
      if (p === 'body') return undefined
      const v = Reflect.get(target, p)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })

describe('a Request in a browser without Request.body (Firefox)', () => {
  it('its body is sent, and the Request is used, as fetch uses it', async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    const request = withoutBodyProperty(
      new Request(url('/stops'), { method: 'POST', body: 'this is my plate' }),
    )
    expect('body' in request).toBe(false)
    await queue.fetch(request)
    expect(t.calls[0]!.body).toBe('this is my plate')
    expect(t.calls[0]!.request.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
    expect(request.bodyUsed).toBe(true)
  })

  it('a GET Request stays without a body', async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    await queue.fetch(withoutBodyProperty(new Request(url('/stats'))))
    expect(t.calls[0]!.method).toBe('GET')
    expect(t.calls[0]!.body).toBeUndefined()
  })
})
