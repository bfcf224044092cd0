import { afterEach, describe, expect, it, vi } from 'vitest'
import { isTimeoutError, type QueueEvents } from '../../src/index.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('2.6 abort', () => {
  it("2.6 aborting a queued item removes it and rejects with the signal's reason", async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    queue.fetch(url('/first'), { method: 'POST' })
    const p = settle(queue.fetch(url('/second'), { method: 'POST', signal: ctrl.signal }))
    const after = queue.fetch(url('/third'), { method: 'POST' })
    const reason = { why: 'user left the page' }
    ctrl.abort(reason)
    await flush()
    expect(p.status).toBe('rejected')
    expect(p.reason).toBe(reason)
    expect(queue.getSnapshot().items.map((i) => i.url)).toEqual([url('/first'), url('/third')])
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond()
    await after
    expect(t.labels()).toEqual(['POST /first', 'POST /third'])
  })

  it('2.6 the default abort reason is a DOMException named AbortError, as fetch gives', async () => {
    const { queue } = setup()
    const ctrl = new AbortController()
    queue.fetch(url('/block'), { method: 'POST' })
    const p = settle(queue.fetch(url('/a'), { signal: ctrl.signal }))
    ctrl.abort()
    await flush()
    expect(p.reason).toBeInstanceOf(DOMException)
    expect((p.reason as DOMException).name).toBe('AbortError')
  })

  it('2.6 a signal that is already aborted rejects at once and sends nothing', async () => {
    const { queue, t } = setup()
    const reason = new Error('too late')
    await expect(
      queue.fetch(url('/a'), { method: 'POST', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason)
    await flush()
    expect(t.calls).toHaveLength(0)
    expect(queue.getSnapshot().status).toBe('idle')
  })

  it('2.6 aborting an in-flight item aborts the transport call; it settles and the lane goes on', async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/slow'), { method: 'POST', signal: ctrl.signal }))
    const next = queue.fetch(url('/next'), { method: 'POST' })
    await flush()
    const reason = new Error('cancelled')
    ctrl.abort(reason)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(t.calls[0]!.signal.reason).toBe(reason)
    await flush()
    expect(p.reason).toBe(reason)
    expect(t.calls).toHaveLength(2)
    expect(t.calls[1]!.overlapping).toEqual([])
    t.calls[1]!.respond()
    expect((await next).status).toBe(200)
    await queue.whenIdle()
  })

  it('2.6 a transport that ignores the abort signal: the caller settles at once, the lane waits for the call or its timeout', async () => {
    const { queue, t, clock } = setup({ timeout: 10_000 }, { ignoreAbort: true })
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/slow'), { method: 'POST', signal: ctrl.signal }))
    queue.fetch(url('/next'), { method: 'POST' })
    await flush()
    ctrl.abort()
    await flush()
    expect(p.status).toBe('rejected')
    // Still on the wire: starting the next write now would overlap it.
    expect(t.calls).toHaveLength(1)
    await clock.advance(10_000)
    expect(t.calls).toHaveLength(2)
  })

  it('2.6 aborting an item waiting on a backoff removes it and stops its timer', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/a'), { method: 'POST', signal: ctrl.signal }))
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    expect(clock.timers).toBe(1)
    ctrl.abort()
    await flush()
    expect(p.status).toBe('rejected')
    expect(clock.timers).toBe(0)
    await clock.advance(60_000)
    expect(t.calls).toHaveLength(1)
    expect(queue.getSnapshot().status).toBe('idle')
  })

  it('2.6 aborting a parked failed write rejects it with the reason and unparks the lane', async () => {
    const { queue, t } = setup({ onFailure: 'pause' })
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/a'), { method: 'POST', signal: ctrl.signal }))
    const next = queue.fetch(url('/b'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond(400)
    await flush()
    ctrl.abort('gave up')
    await flush()
    expect(p.reason).toBe('gave up')
    t.calls[1]!.respond()
    expect((await next).status).toBe(200)
  })

  it("2.6 aborting a superseded call rejects that call with the signal's reason; the item that replaced it goes on", async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    queue.fetch(url('/block'), { method: 'POST' })
    const old = settle(
      queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true, signal: ctrl.signal }),
    )
    const replacement = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    ctrl.abort('unmounted')
    await flush()
    expect(old.status).toBe('rejected')
    expect(old.reason).toBe('unmounted')
    t.calls[0]!.respond()
    await flush()
    expect(t.calls[1]!.body).toBe('2')
    expect(t.calls[1]!.signal.aborted).toBe(false)
    t.calls[1]!.respond(200, 'saved')
    expect(await (await replacement).text()).toBe('saved')
  })

  it('2.6 discard(id) rejects a queued item with an AbortError; in flight, it aborts the call', async () => {
    const { queue, t } = setup()
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const b = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    const [ia, ib] = queue.getSnapshot().items
    expect(queue.discard(ib!.id)).toBe(true)
    expect(queue.discard(ia!.id)).toBe(true)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    await flush()
    expect((a.reason as DOMException).name).toBe('AbortError')
    expect((b.reason as DOMException).name).toBe('AbortError')
    expect(t.calls).toHaveLength(1)
    expect(queue.discard('no-such-id')).toBe(false)
  })
})

describe('2.6 timeout', () => {
  it('2.6 an attempt that takes longer than timeout is aborted with a TimeoutError and retried', async () => {
    const { queue, t, clock } = setup({ timeout: 5000, retry: { baseDelay: 1 } })
    const retrying: QueueEvents['retrying'][] = []
    queue.on('retrying', (e) => retrying.push(e))
    const p = queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    await clock.advance(4999)
    expect(t.calls[0]!.signal.aborted).toBe(false)
    await clock.advance(1)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(isTimeoutError(t.calls[0]!.signal.reason)).toBe(true)
    expect(retrying).toHaveLength(1)
    expect(isTimeoutError(retrying[0]!.error)).toBe(true)
    await clock.advance(10)
    expect(t.calls).toHaveLength(2)
    // Each attempt has its own timeout: the retry gets a fresh 5 s.
    await clock.advance(4000)
    expect(t.calls[1]!.signal.aborted).toBe(false)
    t.calls[1]!.respond()
    expect((await p).status).toBe(200)
  })

  it('2.6 the timeout covers beforeSend: a hung token refresh cannot block the lane', async () => {
    let refreshes = 0
    const { queue, t, clock } = setup({
      timeout: 1000,
      retry: { baseDelay: 1 },
      // The first refresh never answers; the second works.
      beforeSend: () => (++refreshes === 1 ? new Promise<void>(() => {}) : undefined),
    })
    const retrying: QueueEvents['retrying'][] = []
    queue.on('retrying', (e) => retrying.push(e))
    const p = queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    expect(t.calls).toHaveLength(0)
    await clock.advance(1000)
    expect(retrying.map((e) => e.error.name)).toEqual(['TimeoutError'])
    await clock.advance(10)
    expect(t.calls).toHaveLength(1)
    t.calls[0]!.respond()
    expect((await p).status).toBe(200)
  })

  it('2.6 a timeout beyond the 32-bit timer range does not fire at once', async () => {
    const { queue, t, clock } = setup({ timeout: 2 ** 40 })
    const p = settle(queue.fetch(url('/a')))
    await flush()
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(2 ** 31 - 1)
    await clock.advance(60_000)
    expect(t.calls[0]!.signal.aborted).toBe(false)
    t.calls[0]!.respond()
    await flush()
    expect(p.status).toBe('fulfilled')
  })

  it('2.6 a timed-out attempt with no retries left rejects with TimeoutError', async () => {
    const { queue, clock } = setup({ timeout: 100, retry: { networkLimit: 0 } })
    const p = settle(queue.fetch(url('/a')))
    await flush()
    await clock.advance(100)
    expect(isTimeoutError(p.reason)).toBe(true)
    expect((p.reason as Error).name).toBe('TimeoutError')
  })

  it("1 a TimeoutError carries the attempt's abort reason as its cause", async () => {
    const { queue, clock, t } = setup({ timeout: 100, retry: { networkLimit: 0 } })
    const p = settle(queue.fetch(url('/a')))
    await flush()
    await clock.advance(100)
    const reason = t.calls[0]!.signal.reason as DOMException
    expect(reason).toBeInstanceOf(DOMException)
    expect(reason.name).toBe('TimeoutError')
    expect((p.reason as Error).cause).toBe(reason)
  })

  it('2.6 per-item timeout overrides the queue; false turns it off', async () => {
    const { queue, t, clock } = setup({ timeout: 1000, retry: { networkLimit: 0 } })
    const short = settle(queue.fetch(url('/short'), { timeout: 10 }))
    const none = settle(queue.fetch(url('/none'), { timeout: false }))
    await flush()
    await clock.advance(10)
    expect(short.status).toBe('rejected')
    await clock.advance(3_600_000)
    expect(none.status).toBe('pending')
    t.calls[1]!.respond()
    await flush()
    expect(none.status).toBe('fulfilled')
  })

  it('2.6 the default timeout is 30 s', async () => {
    const { queue, t, clock } = setup({ retry: { networkLimit: 0 } })
    const p = settle(queue.fetch(url('/a')))
    await flush()
    await clock.advance(29_999)
    expect(p.status).toBe('pending')
    await clock.advance(1)
    expect(isTimeoutError(p.reason)).toBe(true)
    expect(t.calls[0]!.signal.aborted).toBe(true)
  })

  it("2.6 the timeout is combined with the caller's signal: either one aborts the attempt", async () => {
    const { queue, t, clock } = setup({ timeout: 1000, retry: { baseDelay: 1 } })
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/a'), { method: 'POST', signal: ctrl.signal }))
    await flush()
    await clock.advance(1000)
    // The timeout fired: the attempt is aborted, the caller is not.
    expect(isTimeoutError(t.calls[0]!.signal.reason)).toBe(true)
    expect(p.status).toBe('pending')
    await clock.advance(10)
    expect(t.calls).toHaveLength(2)
    // Now the caller aborts the retry.
    ctrl.abort('stop')
    expect(t.calls[1]!.signal.reason).toBe('stop')
    await flush()
    expect(p.reason).toBe('stop')
    await clock.advance(60_000)
    expect(t.calls).toHaveLength(2)
  })

  it('2.6 parallel attempts share one watchdog timer', async () => {
    const { queue, t, clock } = setup({ timeout: 1000 })
    for (let i = 0; i < 6; i++) queue.fetch(url(`/r${i}`))
    await flush()
    expect(t.live).toHaveLength(6)
    expect(clock.timers).toBe(1)
  })

  it('2.6 the watchdog cuts only the attempts whose time is up', async () => {
    const { queue, t, clock } = setup({ retry: { networkLimit: 0 } })
    const short = settle(queue.fetch(url('/short'), { timeout: 1000 }))
    const long = settle(queue.fetch(url('/long'), { timeout: 5000 }))
    await flush()
    await clock.advance(1000)
    expect(isTimeoutError(short.reason)).toBe(true)
    expect(((short.reason as Error).cause as Error).message).toBe(
      'The attempt timed out after 1000 ms',
    )
    expect(long.status).toBe('pending')
    expect(t.calls[1]!.signal.aborted).toBe(false)
    await clock.advance(4000)
    expect(isTimeoutError(long.reason)).toBe(true)
  })

  it('2.6 one watchdog timer: an earlier deadline moves it, and none is left once nothing is on the wire', async () => {
    const { queue, t, clock } = setup({ retry: { networkLimit: 0 } })
    const long = settle(queue.fetch(url('/long'), { timeout: 5000 }))
    const short = settle(queue.fetch(url('/short'), { timeout: 1000 }))
    await flush()
    expect(clock.timers).toBe(1)
    expect(clock.nextAt).toBe(clock.now() + 1000)
    t.calls[0]!.respond()
    await clock.advance(1000)
    expect(long.status).toBe('fulfilled')
    expect(short.status).toBe('rejected')
    expect(clock.timers).toBe(0)
  })

  it('2.6 an attempt its caller aborted during beforeSend never reaches the transport', async () => {
    let release!: () => void
    const { queue, t } = setup(
      { beforeSend: () => new Promise<void>((r) => (release = r)) },
      { ignoreAbort: true },
    )
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/a'), { method: 'POST', signal: ctrl.signal }))
    await flush()
    ctrl.abort('stop')
    release()
    await flush()
    expect(p.reason).toBe('stop')
    expect(t.calls).toHaveLength(0)
  })

  it('2.6 a request that beforeSend spread into a new object still carries the signal the timeout aborts', async () => {
    const { queue, t, clock } = setup({
      timeout: 1000,
      retry: { networkLimit: 0 },
      beforeSend: (request) => ({
        ...request,
        headers: new Headers({ authorization: 'Bearer t' }),
      }),
    })
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await flush()
    const { request } = t.calls[0]!
    expect(request.headers.get('authorization')).toBe('Bearer t')
    expect(request.signal).toBeInstanceOf(AbortSignal)
    expect(request.signal.aborted).toBe(false)
    await clock.advance(1000)
    expect(request.signal.aborted).toBe(true)
    await flush()
    expect(isTimeoutError(p.reason)).toBe(true)
  })

  it('2.6 a transport that reads its signal only after the caller aborted sees it aborted', async () => {
    let go!: () => void
    const seen: (string | undefined)[] = []
    const { queue } = setup({
      transport: async (_request, context) => {
        await new Promise<void>((r) => (go = r))
        seen.push(context.signal.aborted ? String(context.signal.reason) : undefined)
        return new Response('late')
      },
    })
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/a'), { signal: ctrl.signal }))
    await flush()
    ctrl.abort('stop')
    go()
    await flush()
    expect(seen).toEqual(['stop'])
    expect(p.reason).toBe('stop')
  })

  it('2.6 no AbortController is made for an attempt whose signal nobody reads', async () => {
    const made: unknown[] = []
    const Real = AbortController
    vi.stubGlobal(
      'AbortController',
      class extends Real {
        constructor() {
          super()
          made.push(this)
        }
      },
    )
    try {
      const { queue } = setup({ transport: async () => new Response('ok') })
      expect((await queue.fetch(url('/a'), { method: 'POST' })).status).toBe(200)
      expect(made).toEqual([])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('2.6 timeout: false sets no timer at all', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    queue.fetch(url('/a'))
    await flush()
    expect(t.live).toHaveLength(1)
    expect(clock.timers).toBe(0)
  })

  it('2.6 AbortSignal.any is never needed (it is missing in older browsers)', async () => {
    if (typeof AbortSignal.any !== 'function') return
    const any = vi.spyOn(AbortSignal, 'any')
    const timeout = vi.spyOn(AbortSignal, 'timeout')
    const { queue, t, clock } = setup({ timeout: 100, retry: { baseDelay: 1 } })
    const ctrl = new AbortController()
    queue.fetch(url('/a'), { method: 'POST', signal: ctrl.signal })
    await flush()
    await clock.advance(200)
    t.calls[1]?.respond()
    await flush()
    expect(t.calls.length).toBeGreaterThanOrEqual(2)
    expect(any).not.toHaveBeenCalled()
    expect(timeout).not.toHaveBeenCalled()
  })
})
