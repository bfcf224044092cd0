import { createRoot, from } from 'solid-js'
import { flushSync, mount, unmount } from 'svelte'
import { VERSION } from 'svelte/compiler'
import { derived, get } from 'svelte/store'
import { describe, expect, it } from 'vitest'
import { toReadable } from '../../src/svelte.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import Outbox from './components/Outbox.svelte'
import { counted, testWatch } from './support.ts'

describe(`§4 fetch-queue/svelte (Svelte ${VERSION})`, () => {
  it('§4 toReadable keeps the store contract: run at once with the current value, then on changes; returns the unsubscribe', async () => {
    const { queue, t } = setup()
    const pending = toReadable(queue, (s) => s.pending)
    const seen: number[] = []
    const stop = pending.subscribe((n) => seen.push(n))
    expect(seen).toEqual([0]) // synchronously, before subscribe returned
    expect(typeof stop).toBe('function')
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond(200)
    await flush()
    expect(seen).toEqual([0, 1, 0])
    stop()
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(seen).toEqual([0, 1, 0])
    expect(get(pending)).toBe(1) // svelte/store's get: subscribe, read, unsubscribe
  })

  it('§4 subscribers hear only changes of their slice (by isEqual)', async () => {
    const { queue } = setup()
    const seen: unknown[] = []
    toReadable(queue, (s) => s.pending).subscribe((v) => seen.push(v))
    toReadable(
      queue,
      (s) => s.items.map((i) => i.id),
      (a, b) => a.length === b.length,
    ).subscribe((v) => seen.push(v))
    queue.pause()
    await flush()
    queue.resume()
    await flush()
    expect(seen).toEqual([0, []])
  })

  it('§4 without a selector it carries the snapshot itself', async () => {
    const { queue } = setup()
    const store = toReadable(queue)
    expect(get(store)).toBe(queue.getSnapshot())
    queue.pause()
    await flush()
    expect(get(store).paused).toBe(true)
  })

  it('§4 the source is subscribed to only while someone listens, once per subscriber', () => {
    const { queue } = setup()
    const c = counted(queue)
    const status = toReadable(c.store, (s) => s.status)
    expect(c.made).toBe(0)
    const stops = [status.subscribe(() => {}), status.subscribe(() => {})]
    expect(c.live).toBe(2)
    for (const stop of stops) stop()
    expect(c.live).toBe(0)
    get(status)
    expect(c.live).toBe(0)
  })

  it("§4 it composes with svelte/store's derived", async () => {
    const { queue } = setup()
    const label = derived(
      toReadable(queue, (s) => s.pending),
      (n) => `${n} unsent`,
    )
    const seen: string[] = []
    const stop = label.subscribe((v) => seen.push(v))
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(seen).toEqual(['0 unsent', '1 unsent'])
    stop()
  })

  it('§4 a Svelte 5 component reads it with $store, follows changes, and unsubscribes on unmount', async () => {
    const { queue, t } = setup({ onFailure: 'pause', retry: 0 })
    const c = counted(queue)
    const target = document.createElement('div')
    const app = mount(Outbox, { target, props: { queue: c.store } })
    flushSync()
    expect(target.textContent).toBe('0 pending, 0 failed')
    expect(c.live).toBe(2)
    queue.fetch(url('/messages'), { method: 'POST' }).catch(() => {})
    await flush()
    flushSync()
    expect(target.textContent).toBe('1 pending, 0 failed')
    t.calls[0]!.respond(400)
    await flush()
    flushSync()
    expect(target.textContent).toBe('1 pending, 1 failed')
    await unmount(app)
    expect(c.live).toBe(0)
  })

  it('§4 a watch (any store with subscribe and getSnapshot) works the same', () => {
    const watch = testWatch()
    const data = toReadable(watch, (s) => s.data)
    const seen: unknown[] = []
    const stop = data.subscribe((v) => seen.push(v))
    watch.set({ data: 1, status: 'live' })
    watch.set({ status: 'retrying' }) // same data: nothing to tell
    watch.set({ data: 2 })
    expect(seen).toEqual([undefined, 1, 2])
    stop()
    expect(watch.listeners).toBe(0)
  })

  it("§4 Solid's from() takes it: a signal that follows the queue and lets go with its root", async () => {
    const { queue } = setup()
    const c = counted(queue)
    const readable = toReadable(c.store, (s) => s.pending)
    const { pending, dispose } = createRoot((dispose) => ({ pending: from(readable), dispose }))
    expect(pending()).toBe(0)
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(pending()).toBe(1)
    expect(c.live).toBe(1)
    dispose()
    expect(c.live).toBe(0)
  })

  it('§4 a value that is not a queue or a watch fails at the call with a TypeError', () => {
    expect(() => toReadable({} as never)).toThrow(
      /fetch-queue: toReadable expects a queue or a watch \(subscribe and getSnapshot\), got \[object Object\]/,
    )
    expect(() => toReadable(undefined as never)).toThrow(TypeError)
  })
})
