import { describe, expect, it } from 'vitest'
import { isQueueClosedError } from '../../src/index.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush, state } from '../support/tick.ts'

describe('1 state: getSnapshot', () => {
  it('1 getSnapshot returns the same object until something changes (useSyncExternalStore)', async () => {
    const { queue, t } = setup()
    const empty = queue.getSnapshot()
    expect(queue.getSnapshot()).toBe(empty)
    queue.fetch(url('/a'), { method: 'POST' })
    const one = queue.getSnapshot()
    expect(one).not.toBe(empty)
    expect(queue.getSnapshot()).toBe(one)
    await flush()
    const sending = queue.getSnapshot()
    expect(sending.items[0]!.state).toBe('sending')
    expect(queue.getSnapshot()).toBe(sending)
    t.calls[0]!.respond()
    await flush()
    expect(queue.getSnapshot()).not.toBe(sending)
    expect(queue.getSnapshot()).toBe(queue.getSnapshot())
  })

  it('1 the snapshot is immutable', () => {
    const { queue } = setup()
    queue.fetch(url('/a'), { method: 'POST', meta: { doc: 1 } })
    const snap = queue.getSnapshot()
    expect(Object.isFrozen(snap)).toBe(true)
    expect(Object.isFrozen(snap.items)).toBe(true)
    expect(Object.isFrozen(snap.items[0])).toBe(true)
    expect(() => {
      ;(snap as { pending: number }).pending = 9
    }).toThrow(TypeError)
    expect(() => (snap.items as unknown[]).push(1)).toThrow(TypeError)
  })

  it('1 an unchanged item keeps its info object across snapshots', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/w'), { method: 'POST' })
    queue.fetch(url('/r'))
    await flush()
    const before = queue.getSnapshot()
    t.calls[0]!.respond()
    await flush()
    const after = queue.getSnapshot()
    expect(after.items[0]!.state).toBe('sending')
    expect(after.items[0]).not.toBe(before.items[1])
    expect(after.items[1]).toBe(before.items[2])
  })

  it('1 each item carries its public info', async () => {
    const { queue, clock, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/w'), { method: 'PUT', meta: ['x', 1] })
    const item = queue.getSnapshot().items[1]
    expect(item).toEqual({
      id: expect.any(String),
      lane: '',
      method: 'PUT',
      url: url('/w'),
      kind: 'write',
      state: 'queued',
      attempts: 0,
      nextAttemptAt: undefined,
      error: undefined,
      meta: ['x', 1],
      enqueuedAt: clock.now(),
      durable: false,
    })
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(queue.getSnapshot().items[0]).toMatchObject({
      id: item!.id,
      state: 'sending',
      attempts: 1,
    })
  })

  it('1 status: idle, busy, waiting (offline, backoff, parked) and paused', async () => {
    const { queue, t, online } = setup({ onFailure: 'pause', timeout: false })
    const status = () => queue.getSnapshot().status
    expect(status()).toBe('idle')
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    expect(status()).toBe('busy')
    t.calls[0]!.fail()
    await flush()
    expect(status()).toBe('waiting')
    online.setOnline(false)
    expect(queue.getSnapshot()).toMatchObject({ status: 'waiting', online: false })
    online.setOnline(true)
    await flush()
    expect(status()).toBe('busy')
    t.calls[1]!.respond(400)
    await flush()
    expect(status()).toBe('waiting')
    queue.pause()
    expect(queue.getSnapshot()).toMatchObject({ status: 'paused', paused: true })
    queue.resume()
    expect(status()).toBe('waiting')
    queue.discard(queue.getSnapshot().items[0]!.id)
    await flush()
    expect(queue.getSnapshot()).toMatchObject({ status: 'idle', pending: 0, items: [] })
  })
})

describe('1 state: subscribe', () => {
  it('1 listeners are called once per microtask however many changes happen', async () => {
    const { queue } = setup()
    let calls = 0
    queue.subscribe(() => calls++)
    queue.fetch(url('/a'), { method: 'POST' })
    queue.fetch(url('/b'), { method: 'POST' })
    queue.pause()
    expect(calls).toBe(0)
    await Promise.resolve()
    expect(calls).toBe(1)
    await flush()
    expect(calls).toBe(1)
  })

  it('1 a listener sees the new snapshot, and nothing is reported without a change', async () => {
    const { queue, t } = setup()
    const seen: unknown[] = []
    queue.subscribe(() => seen.push(queue.getSnapshot()))
    queue.fetch(url('/a'))
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen.at(-1)).toBe(queue.getSnapshot())
    expect(queue.getSnapshot().status).toBe('idle')
    const n = seen.length
    queue.getSnapshot()
    await flush()
    expect(seen).toHaveLength(n)
  })

  it('1 unsubscribe stops notifications', async () => {
    const { queue } = setup()
    let calls = 0
    let control = 0
    const off = queue.subscribe(() => calls++)
    queue.subscribe(() => control++)
    off()
    queue.fetch(url('/a'))
    await flush()
    expect(calls).toBe(0)
    // The positive control: the change was announced to whoever still listens.
    expect(control).toBeGreaterThan(0)
  })

  it("1 the useSyncExternalStore contract: a render's two getSnapshot calls agree", async () => {
    const { queue, t } = setup()
    // React calls getSnapshot during render and again to check for tearing, and on every notify.
    const renders: [unknown, unknown][] = []
    const render = () => renders.push([queue.getSnapshot(), queue.getSnapshot()])
    queue.subscribe(render)
    render()
    queue.fetch(url('/a'))
    await flush()
    t.calls[0]!.respond()
    await flush()
    // The first render, then queued → sending → settled.
    expect(renders.length).toBeGreaterThanOrEqual(3)
    for (const [a, b] of renders) expect(b).toBe(a)
    // Every notification brought a different snapshot: no wasted renders, no infinite loop.
    for (let i = 1; i < renders.length; i++) expect(renders[i]![0]).not.toBe(renders[i - 1]![0])
  })
})

describe('1 pause, resume, whenIdle, clear, dispose', () => {
  it('1 pause starts nothing new; work already in flight finishes; resume goes on', async () => {
    const { queue, t } = setup()
    const a = queue.fetch(url('/a'), { method: 'POST' })
    const b = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    queue.pause()
    t.calls[0]!.respond()
    expect((await a).status).toBe(200)
    await flush()
    expect(t.calls).toHaveLength(1)
    expect(b.status).toBe('pending')
    queue.resume()
    await flush()
    expect(t.calls).toHaveLength(2)
  })

  it('1 pause before anything is sent holds every new item', async () => {
    const { queue, t } = setup()
    queue.pause()
    queue.fetch(url('/a'))
    await flush()
    expect(t.calls).toHaveLength(0)
    expect(queue.getSnapshot().status).toBe('paused')
  })

  it('1 whenIdle resolves at once when idle, otherwise when nothing is queued or in flight', async () => {
    const { queue, t } = setup()
    await queue.whenIdle()
    queue.fetch(url('/a'), { method: 'POST' })
    queue.fetch(url('/b'))
    const idle = queue.whenIdle()
    await flush()
    expect(await state(idle)).toBe('pending')
    t.calls[0]!.respond()
    await flush()
    expect(await state(idle)).toBe('pending')
    t.calls[1]!.respond(404)
    await idle
  })

  it('1 clear() rejects every pending promise with an AbortError, aborts in-flight work and empties the queue', async () => {
    const { queue, t } = setup()
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const b = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    await queue.clear()
    await flush()
    expect((a.reason as DOMException).name).toBe('AbortError')
    expect((b.reason as DOMException).name).toBe('AbortError')
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(queue.getSnapshot()).toMatchObject({ status: 'idle', pending: 0 })
    await queue.whenIdle()
    // The queue keeps working after a clear (logout, then a new login).
    const c = queue.fetch(url('/c'), { method: 'POST' })
    await flush()
    t.calls[1]!.respond()
    expect((await c).status).toBe(200)
  })

  it('1 dispose() rejects pending promises with QueueClosedError and later fetches too', async () => {
    const { queue, t, online, clock } = setup()
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const b = settle(queue.fetch(url('/b'), { method: 'POST' }))
    const idle = settle(queue.whenIdle())
    await flush()
    expect(online.listeners).toBe(1)
    queue.dispose()
    await flush()
    expect(isQueueClosedError(a.reason)).toBe(true)
    expect(isQueueClosedError(b.reason)).toBe(true)
    expect(idle.status).not.toBe('pending')
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(online.listeners).toBe(0)
    expect(clock.timers).toBe(0)
    await expect(queue.fetch(url('/c'))).rejects.toSatisfy(isQueueClosedError)
    expect(t.calls).toHaveLength(1)
    queue.dispose()
  })

  it('1 whenIdle() after dispose() settles at once, even with an attempt still preparing', async () => {
    const { queue } = setup({ beforeSend: () => new Promise(() => {}) })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    queue.dispose()
    const idle = settle(queue.whenIdle())
    await flush()
    expect(idle.status).toBe('rejected')
    expect(isQueueClosedError(idle.reason)).toBe(true)
  })

  it('1 dispose() stops retry timers', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(clock.timers).toBe(1)
    queue.dispose()
    expect(clock.timers).toBe(0)
    await clock.advance(120_000)
    expect(t.calls).toHaveLength(1)
  })
})
