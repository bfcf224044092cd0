import { describe, expect, it } from 'vitest'
import type { SpoolRecord } from '../../src/index.ts'
import { createQueue, defineSpool, localStorageSpool, memorySpool } from '../../src/index.ts'
import { fakeOnline } from '../support/online.ts'
import { flush } from '../support/tick.ts'
import { spoolContract } from './contract.ts'

/** Your own storage, every method async (as over IndexedDB), made usable with defineSpool. */
function asyncMapSpool(store: Map<string, string>) {
  // Settles a few microtasks later, like a storage that answers asynchronously.
  const later = async () => {
    for (let i = 0; i < 3; i++) await null
  }
  return defineSpool({
    name: 'async-map',
    async load() {
      await later()
      return { records: [...store.values()].map((json) => JSON.parse(json) as SpoolRecord) }
    },
    async put(record: SpoolRecord) {
      await later()
      store.set(record.id, JSON.stringify(record))
    },
    async delete(id: string) {
      await later()
      store.delete(id)
    },
    async clear() {
      await later()
      store.clear()
    },
  })
}

spoolContract('a custom async spool made with defineSpool', () => {
  const store = new Map<string, string>()
  return { open: () => asyncMapSpool(store) }
})

describe('2.8 defineSpool', () => {
  it('2.7 a queue over a custom spool stores a write and the next page sends it with the same key', async () => {
    const store = new Map<string, string>()
    const online = fakeOnline()
    const first = createQueue({
      spool: asyncMapSpool(store),
      online,
      transport: () => new Promise<Response>(() => {}),
    })
    first.fetch('https://api.test/stops', { method: 'POST', json: { stops: [1] }, meta: 'edit 1' })
    await first.ready
    await flush()
    expect(first.getSnapshot().items[0]!.durable).toBe(true)
    expect(store.size).toBe(1)
    const storedKey = (JSON.parse([...store.values()][0]!) as SpoolRecord).key
    expect(storedKey).toMatch(/^[0-9a-f-]{36}$/)
    first.dispose()

    const sent: { key: string | null; body: unknown }[] = []
    const second = createQueue({
      spool: asyncMapSpool(store),
      online,
      transport: async (request) => {
        sent.push({ key: request.headers.get('idempotency-key'), body: request.body })
        return new Response('ok')
      },
    })
    const restored: unknown[] = []
    second.on('restored', ({ items }) => restored.push(...items.map((i) => i.meta)))
    await second.ready
    await second.whenIdle()
    await flush()
    expect(restored).toEqual(['edit 1'])
    expect(sent).toEqual([{ key: storedKey, body: '{"stops":[1]}' }])
    expect(store.size).toBe(0)
    second.dispose()
  })

  it('2.8 the queue finds a defined spool by a registered symbol, so a spool defined by another copy of the library works', () => {
    const attach = Symbol.for('fetch-queue.spool')
    const spool = defineSpool({
      name: 'plain',
      load: () => ({ records: [] }),
      put() {},
      delete() {},
      clear() {},
    })
    expect(typeof (spool as unknown as Record<symbol, unknown>)[attach]).toBe('function')
    expect([memorySpool().name, localStorageSpool({ key: 'k' }).name]).toEqual([
      'memory',
      'localStorage',
    ])
  })
})
