import { describe, expect, it } from 'vitest'
import type { QueueEvents } from '../../src/index.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

describe('1 events', () => {
  it('1 sent carries the item with meta and a readable response', async () => {
    const { queue, t } = setup()
    const sent: QueueEvents['sent'][] = []
    queue.on('sent', (e) => sent.push(e))
    const p = queue.fetch(url('/a'), { method: 'POST', meta: { stop: 7 } })
    await flush()
    t.calls[0]!.respond(201, 'created')
    const res = await p
    expect(sent).toHaveLength(1)
    expect(sent[0]!.item).toMatchObject({ meta: { stop: 7 }, method: 'POST', url: url('/a') })
    // Both the caller and the listener can read the body.
    expect(await sent[0]!.response.text()).toBe('created')
    expect(await res.text()).toBe('created')
  })

  it('1 failed, retrying and superseded carry the item with meta', async () => {
    const { queue, t } = setup({ retry: { networkLimit: 1 } })
    const log: [string, unknown][] = []
    queue.on('failed', (e) => log.push(['failed', e.item.meta]))
    queue.on('retrying', (e) => log.push(['retrying', e.item.meta]))
    queue.on('superseded', (e) => log.push(['superseded', [e.item.meta, e.by.meta]]))
    queue.fetch(url('/a'), { method: 'POST', meta: 'a' }).catch(() => {})
    queue.fetch(url('/b'), { method: 'POST', meta: 'b1', dedupe: true }).catch(() => {})
    queue.fetch(url('/b'), { method: 'POST', meta: 'b2', dedupe: true }).catch(() => {})
    await flush()
    t.calls[0]!.fail()
    await flush()
    queue.retry()
    await flush()
    t.calls[1]!.fail()
    await flush()
    expect(log).toEqual([
      ['superseded', ['b1', 'b2']],
      ['retrying', 'a'],
      ['failed', 'a'],
    ])
  })

  it('1 retrying carries the error and the delay; the item shows when it will be tried', async () => {
    const { queue, t, clock } = setup()
    const seen: QueueEvents['retrying'][] = []
    queue.on('retrying', (e) => seen.push(e))
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond(503, null, { 'retry-after': '3' })
    await flush()
    expect(seen[0]).toMatchObject({
      delay: 3000,
      item: { state: 'retrying', nextAttemptAt: clock.now() + 3000 },
    })
    expect(seen[0]!.error.name).toBe('HttpError')
  })

  it('1 unsubscribe works, and only for that listener', async () => {
    const { queue, t } = setup()
    const a: unknown[] = []
    const b: unknown[] = []
    const offA = queue.on('sent', (e) => a.push(e))
    queue.on('sent', (e) => b.push(e))
    offA()
    offA()
    queue.fetch(url('/a'))
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(a).toEqual([])
    expect(b).toHaveLength(1)
  })

  it('1 the same function added for two events gets both', async () => {
    const { queue, t } = setup({ retry: 0 })
    const names: string[] = []
    const listener = (e: { item: { url: string } }) => names.push(e.item.url)
    queue.on('sent', listener)
    queue.on('failed', listener)
    queue.fetch(url('/ok'))
    queue.fetch(url('/bad')).catch(() => {})
    await flush()
    t.calls[0]!.respond()
    t.calls[1]!.respond(404)
    await flush()
    expect(names.sort()).toEqual([url('/bad'), url('/ok')])
  })

  it('16 a throwing listener does not break the queue; its error is rethrown on its own', async () => {
    const { queue, t } = setup()
    const thrown: unknown[] = []
    const onError = (e: unknown) => thrown.push(e)
    const previous = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onError)
    try {
      const later: unknown[] = []
      queue.on('sent', () => {
        throw new Error('listener bug')
      })
      queue.on('sent', (e) => later.push(e))
      queue.subscribe(() => {
        throw new Error('subscriber bug')
      })
      const a = queue.fetch(url('/a'), { method: 'POST' })
      const b = queue.fetch(url('/b'), { method: 'POST' })
      await flush()
      t.calls[0]!.respond()
      expect((await a).status).toBe(200)
      await flush()
      t.calls[1]!.respond()
      expect((await b).status).toBe(200)
      await flush()
      expect(later).toHaveLength(2)
      expect(thrown.map((e) => (e as Error).message)).toContain('listener bug')
    } finally {
      process.off('uncaughtException', onError)
      for (const l of previous) process.on('uncaughtException', l)
    }
  })

  it('16 a throwing subscribe listener does not keep the others from hearing the change', async () => {
    const { queue } = setup()
    const thrown: unknown[] = []
    const onError = (e: unknown) => thrown.push(e)
    const previous = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onError)
    try {
      let heard = 0
      queue.subscribe(() => {
        throw new Error('subscriber bug')
      })
      queue.subscribe(() => heard++)
      queue.pause()
      await flush()
      expect(heard).toBe(1)
      queue.resume()
      await flush()
      expect(heard).toBe(2)
      expect(thrown.map((e) => (e as Error).message)).toEqual(['subscriber bug', 'subscriber bug'])
    } finally {
      process.off('uncaughtException', onError)
      for (const l of previous) process.on('uncaughtException', l)
    }
  })
})
