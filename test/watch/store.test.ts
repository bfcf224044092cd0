import { describe, expect, it } from 'vitest'
import { flush } from '../support/tick.ts'
import { eventStream, json, nextCall, watched } from './support.ts'

describe('2.11 the store', () => {
  it('2.11 getSnapshot() is immutable and the same object until something changes', async () => {
    const h = watched()
    const first = h.w.getSnapshot()
    expect(Object.isFrozen(first)).toBe(true)
    expect(() => {
      ;(first as { status: string }).status = 'live'
    }).toThrow(TypeError)
    expect(h.w.getSnapshot()).toBe(first)
    await flush()
    expect(h.w.getSnapshot()).toBe(first)
    json(h.last(), { n: 1 })
    await flush()
    const second = h.w.getSnapshot()
    expect(second).not.toBe(first)
    expect(h.w.getSnapshot()).toBe(second)
    expect(first).toEqual({
      data: undefined,
      error: undefined,
      status: 'connecting',
      updatedAt: undefined,
    })
  })

  it("2.11 the useSyncExternalStore contract: a render's two getSnapshot calls agree", async () => {
    const h = watched()
    await flush()
    const seen: boolean[] = []
    h.w.subscribe(() => {
      const first = h.w.getSnapshot()
      seen.push(first === h.w.getSnapshot())
    })
    json(h.last(), { n: 1 })
    await flush()
    expect(seen).toEqual([true])
  })

  it('2.11 listeners are called once per microtask however many changes happen', async () => {
    const h = watched()
    await flush()
    const before = h.notified
    h.page.hide()
    // Two changes in one go: the failure (error, retrying), then the pause for the hidden page.
    h.last().respond(500)
    await flush()
    expect(h.w.getSnapshot().status).toBe('paused')
    expect(h.w.getSnapshot().error).toBeDefined()
    expect(h.notified).toBe(before + 1)
  })

  it('2.11 unsubscribe stops notifications', async () => {
    const h = watched()
    let calls = 0
    const off = h.w.subscribe(() => calls++)
    off()
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    expect(calls).toBe(0)
    expect(h.notified).toBeGreaterThan(0)
  })

  it('2.11 a listener that throws does not keep the others from hearing the change', async () => {
    const h = watched()
    const errors: unknown[] = []
    const onError = (e: unknown) => errors.push(e)
    const previous = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onError)
    try {
      const off = h.w.subscribe(() => {
        throw new Error('listener')
      })
      let heard = 0
      h.w.subscribe(() => heard++)
      await flush()
      json(h.last(), { n: 1 })
      await flush()
      expect(heard).toBe(1)
      expect(errors).toHaveLength(1)
      expect((errors[0] as Error).message).toBe('listener')
      off()
    } finally {
      process.off('uncaughtException', onError)
      for (const l of previous) process.on('uncaughtException', l)
    }
  })

  it('2.11 the async iterator yields successive data values and ends on close()', async () => {
    const h = watched<{ n: number }>()
    const seen: number[] = []
    const done = (async () => {
      for await (const data of h.w) {
        seen.push(data.n)
        if (seen.length > 10) break // a broken iterator would spin here forever
      }
    })()
    await flush()
    json(h.last(), { n: 1 })
    json(await nextCall(h), { n: 1 }) // unchanged: not yielded again
    json(await nextCall(h), { n: 2 })
    await flush()
    h.w.close()
    await done
    expect(seen).toEqual([1, 2])
  })

  it('2.11 an iterator starts with the current data, and a slow consumer gets the latest', async () => {
    const h = await (async () => {
      const h = watched<number>('/n', { reduce: (_, e) => Number(e.data) })
      await flush()
      const es = eventStream()
      h.last().respond(es.response())
      await flush()
      return { ...h, es }
    })()
    h.es.push('data: 1\n\n')
    await flush()
    const it = h.w[Symbol.asyncIterator]()
    expect(await it.next()).toEqual({ value: 1, done: false })
    h.es.push('data: 2\n\ndata: 3\n\ndata: 4\n\n')
    await flush()
    expect(await it.next()).toEqual({ value: 4, done: false })
    h.w.close()
    expect(await it.next()).toEqual({ value: undefined, done: true })
  })

  it('2.11 breaking out of a for await loop ends that loop only; the watch goes on', async () => {
    const h = watched<{ n: number }>()
    await flush()
    json(h.last(), { n: 1 })
    await flush()
    for await (const data of h.w) {
      expect(data).toEqual({ n: 1 })
      break
    }
    json(await nextCall(h), { n: 2 })
    await flush()
    expect(h.w.getSnapshot()).toMatchObject({ status: 'live', data: { n: 2 } })
  })
})
