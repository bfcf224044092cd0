import { describe, expect, it } from 'vitest'
import { API } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush, until } from '../support/tick.ts'
import { lockHub } from './support/locks.ts'
import { openPage } from './support/page.ts'
import { fakeApi } from './support/server.ts'
import { fakeStorage } from './support/storage.ts'

const url = (path: string) => `${API}${path}`

describe('2.7 several tabs', () => {
  it('2.7 two tabs over one storage: each stored write is sent by exactly one tab, in order', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    const online = fakeOnline(false)
    const a = openPage({ storage, locks: hub.tab(), online })
    const b = openPage({ storage, locks: hub.tab(), online })
    for (let i = 0; i < 5; i++) {
      a.queue.fetch(url(`/a${i}`), { method: 'POST', body: `a${i}` })
      b.queue.fetch(url(`/b${i}`), { method: 'POST', body: `b${i}` })
    }
    await Promise.all([a.queue.ready, b.queue.ready])
    await flush()
    expect(storage.data.size).toBe(10)
    online.setOnline(true)
    await Promise.all([a.queue.whenIdle(), b.queue.whenIdle()])
    const bodies = api.received.map((r) => r.body)
    expect(bodies).toHaveLength(10)
    expect(new Set(api.received.map((r) => r.key)).size).toBe(10)
    expect(bodies.filter((x) => x[0] === 'a')).toEqual(['a0', 'a1', 'a2', 'a3', 'a4'])
    expect(bodies.filter((x) => x[0] === 'b')).toEqual(['b0', 'b1', 'b2', 'b3', 'b4'])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a live tab does not take over the writes of another live tab when it reloads', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    const online = fakeOnline(false)
    const a = openPage({ storage, locks: hub.tab(), online })
    a.queue.fetch(url('/a'), { method: 'POST', body: 'a' })
    await a.queue.ready
    const b1 = openPage({ storage, locks: hub.tab(), online })
    await b1.queue.ready
    b1.queue.dispose()
    await flush()
    const b2 = openPage({ storage, locks: hub.tab(), online })
    await b2.queue.ready
    expect(b2.of('restored')).toEqual([])
    online.setOnline(true)
    await a.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a'])
  })

  it('2.7 a closed or crashed tab releases its partition: the next tab adopts and sends it', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    const online = fakeOnline(false)
    const tabA = hub.tab()
    const a = openPage({ storage, locks: tabA, online })
    const b = openPage({ storage, locks: hub.tab(), online })
    a.queue.fetch(url('/a1'), { method: 'POST', body: 'a1', meta: 'a1' })
    a.queue.fetch(url('/a2'), { method: 'POST', body: 'a2', meta: 'a2' })
    b.queue.fetch(url('/b1'), { method: 'POST', body: 'b1' })
    await Promise.all([a.queue.ready, b.queue.ready])
    // The tab crashes: the browser drops its locks; its page never runs again.
    tabA.close()
    a.queue.dispose()
    online.setOnline(true)
    await b.queue.whenIdle()
    // B started before A died, so it does not take A's writes mid-life.
    expect(api.received.map((r) => r.body)).toEqual(['b1'])

    const c = openPage({ storage, locks: hub.tab(), online })
    const d = openPage({ storage, locks: hub.tab(), online })
    await Promise.all([c.queue.ready, d.queue.ready])
    await Promise.all([c.queue.whenIdle(), d.queue.whenIdle()])
    expect(api.received.map((r) => r.body)).toEqual(['b1', 'a1', 'a2'])
    const restored = [...c.of('restored'), ...d.of('restored')]
    expect(restored.map((e) => e.items.map((i) => i.meta))).toEqual([['a1', 'a2']])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a write in flight when its tab crashed is resent by the adopter with the same key', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    let hang = true
    api.reply = (_, apply) => {
      apply()
      return hang ? new Promise<Response>(() => {}) : new Response('ok')
    }
    const tabA = hub.tab()
    const a = openPage({ storage, locks: tabA })
    a.queue.fetch(url('/w'), { method: 'POST', body: 'w' })
    await until(() => api.received.length === 1, 'first attempt')
    tabA.close()
    a.queue.dispose()
    hang = false
    const b = openPage({ storage, locks: hub.tab() })
    await b.queue.ready
    await b.queue.whenIdle()
    expect(api.received.map((r) => r.key)).toEqual([api.received[0]!.key, api.received[0]!.key])
    expect(api.applied).toHaveLength(1)
    expect(storage.data.size).toBe(0)
  })

  it('2.7 without Web Locks, the one instance adopts every stored write', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const online = fakeOnline(false)
    const a = openPage({ storage, locks: lockHub().tab(), online })
    a.queue.fetch(url('/a'), { method: 'POST', body: 'a' })
    await a.queue.ready
    a.queue.dispose()
    const b = openPage({ storage, locks: null })
    await b.queue.ready
    await b.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a'])
  })
})
