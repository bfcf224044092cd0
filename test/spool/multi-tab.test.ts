import { describe, expect, it } from 'vitest'
import { ADOPT_GRACE } from '../../src/spool/partitions.ts'
import { API } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush, until } from '../support/tick.ts'
import { lockHub } from './support/locks.ts'
import { KEY, openPage, type Page } from './support/page.ts'
import { fakeApi } from './support/server.ts'
import { fakeStorage, throwingStorage } from './support/storage.ts'

const url = (path: string) => `${API}${path}`

/** Tab A, offline, with stored writes (body and meta `a1`, `a2`, …), over a fresh storage and lock hub. */
async function tabWithWrites(bodies: string[]) {
  const storage = fakeStorage()
  const hub = lockHub()
  const api = fakeApi()
  const online = fakeOnline(false)
  const tabA = hub.tab()
  // Tab A's own sessionStorage, kept across its reloads.
  const session = fakeStorage()
  const page = openPage({ storage, locks: tabA, online, spool: { session } })
  for (const b of bodies) page.queue.fetch(url(`/${b}`), { method: 'POST', body: b, meta: b })
  await page.queue.ready
  await flush()
  return { storage, hub, api, online, tabA, session, page }
}

/** The reloaded tab's new page got its write `a1` back; B, past the grace period, took nothing. */
async function expectBackOnNewPage(a2: Page, b: Page) {
  expect(a2.of('restored').map((e) => e.items.map((i) => i.meta))).toEqual([['a1']])
  await b.clock.advance(ADOPT_GRACE)
  await flush()
  expect(b.of('restored')).toEqual([])
}

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
    const { storage, hub, api, online, tabA, page: a } = await tabWithWrites(['a1', 'a2'])
    // The tab crashes: the browser drops its locks; its page never runs again.
    tabA.close()
    a.queue.dispose()
    online.setOnline(true)

    const c = openPage({ storage, locks: hub.tab(), online })
    const d = openPage({ storage, locks: hub.tab(), online })
    await Promise.all([c.queue.ready, d.queue.ready])
    await Promise.all([c.queue.whenIdle(), d.queue.whenIdle()])
    expect(api.received.map((r) => r.body)).toEqual(['a1', 'a2'])
    const restored = [...c.of('restored'), ...d.of('restored')]
    expect(restored.map((e) => e.items.map((i) => i.meta))).toEqual([['a1', 'a2']])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a running tab adopts the partition of a tab that closes after it started, without a reload', async () => {
    const { storage, hub, api, online, tabA, page: a } = await tabWithWrites(['a1', 'a2'])
    const b = openPage({ storage, locks: hub.tab(), online })
    b.queue.fetch(url('/b1'), { method: 'POST', body: 'b1', meta: 'b1' })
    await b.queue.ready
    await flush()
    await b.clock.advance(ADOPT_GRACE)
    // A is alive: B leaves its writes alone.
    expect(b.of('restored')).toEqual([])

    tabA.close()
    a.queue.dispose()
    await flush()
    // A reloading page gets the first chance at its own partition; then B takes it.
    await b.clock.advance(ADOPT_GRACE - 1)
    expect(b.of('restored')).toEqual([])
    await b.clock.advance(1)
    await until(() => b.of('restored').length === 1, 'B adopts what A left')
    expect(b.of('restored')[0]!.items.map((i) => i.meta)).toEqual(['a1', 'a2'])
    expect(b.queue.getSnapshot().items.map((i) => i.meta)).toEqual(['b1', 'a1', 'a2'])
    online.setOnline(true)
    await b.queue.whenIdle()
    // Each tab's writes in its own order, each exactly once.
    expect(api.received.map((r) => r.body)).toEqual(['b1', 'a1', 'a2'])
    expect(new Set(api.received.map((r) => r.key)).size).toBe(3)
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a running tab leaves a reloading tab its own writes: the new page takes them back', async () => {
    const { storage, hub, api, online, tabA, page: a1 } = await tabWithWrites(['a1'])
    const b = openPage({ storage, locks: hub.tab(), online })
    await b.queue.ready
    // B has been running a while.
    await b.clock.advance(ADOPT_GRACE)
    // Tab A reloads: its old page goes, its new page starts within the grace period.
    a1.queue.dispose()
    await flush()
    await b.clock.advance(ADOPT_GRACE / 2)
    const a2 = openPage({ storage, locks: tabA, online })
    await a2.queue.ready
    await expectBackOnNewPage(a2, b)
    // B waits again: when tab A closes for good, B sends what its new page left.
    tabA.close()
    a2.queue.dispose()
    await flush()
    await b.clock.advance(ADOPT_GRACE)
    await until(() => b.of('restored').length === 1, 'B adopts what the new page left')
    expect(b.of('restored')[0]!.items.map((i) => i.meta)).toEqual(['a1'])
    online.setOnline(true)
    await b.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a page that starts before its predecessor has gone waits for its writes and sends them first, though a running tab waited first', async () => {
    const { storage, hub, api, online, tabA, session, page: a1 } = await tabWithWrites(['a1'])
    const b = openPage({ storage, locks: hub.tab(), online })
    await b.queue.ready
    await b.clock.advance(ADOPT_GRACE)
    // Tab A's new page starts while the old one still holds its partition (browsers run both
    // for a moment): both the new page and B now wait for that lock, B first.
    const a2 = openPage({ storage, locks: tabA, online, spool: { session } })
    // The new page loads its document at once; the read waits behind the restored write.
    const load = a2.queue.fetch(url('/document'))
    await flush()
    expect(a2.queue.getSnapshot().restoring).toBe(true)
    expect(a2.of('restored')).toEqual([])
    a1.queue.dispose()
    await a2.queue.ready
    await expectBackOnNewPage(a2, b)
    online.setOnline(true)
    await load
    await a2.queue.whenIdle()
    expect(api.received.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /a1', 'GET /document'])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a tab in its first moments leaves a partition freed by another tab reloading to that tab', async () => {
    const { storage, hub, api, online, tabA, session, page: a1 } = await tabWithWrites(['a1'])
    // B has just opened: it waits for A's partition from its start.
    const b = openPage({ storage, locks: hub.tab(), online, spool: { session: fakeStorage() } })
    await b.queue.ready
    a1.queue.dispose()
    await flush()
    const a2 = openPage({ storage, locks: tabA, online, spool: { session } })
    await a2.queue.ready
    await expectBackOnNewPage(a2, b)
    online.setOnline(true)
    await a2.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
  })

  it('2.7 without a note of its partitions, a page that starts before its predecessor has gone takes its writes back after the grace period', async () => {
    const { storage, api, online, page: a1, tabA } = await tabWithWrites(['a1'])
    const a2 = openPage({ storage, locks: tabA, online, spool: { session: null } })
    await a2.queue.ready
    expect(a2.of('restored')).toEqual([])
    a1.queue.dispose()
    await flush()
    await a2.clock.advance(ADOPT_GRACE - 1)
    expect(a2.of('restored')).toEqual([])
    await a2.clock.advance(1)
    await until(() => a2.of('restored').length === 1, 'the new page takes its writes back')
    online.setOnline(true)
    await a2.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
  })

  it('2.7 a tab whose sessionStorage throws keeps no note, and its reload still gets its writes back', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    const online = fakeOnline(false)
    const tab = hub.tab()
    const a1 = openPage({ storage, locks: tab, online, spool: { session: throwingStorage() } })
    a1.queue.fetch(url('/a1'), { method: 'POST', body: 'a1', meta: 'a1' })
    await a1.queue.ready
    await flush()
    // The page still holds its partition's lock.
    const part = [...storage.data.keys()][0]!.split('/').at(-2)
    expect(hub.holder(`fetch-queue:${KEY}/${part}`)).toBe(tab)
    a1.queue.dispose()
    await flush()
    const a2 = openPage({ storage, locks: tab, online, spool: { session: throwingStorage() } })
    await a2.queue.ready
    expect(a2.of('restored').map((e) => e.items.map((i) => i.meta))).toEqual([['a1']])
    expect(a2.of('spoolerror')).toEqual([])
    online.setOnline(true)
    await a2.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
  })

  it('2.7 a duplicated tab (a copy of the session) waits for the original at most the grace period, then leaves it its writes', async () => {
    const { storage, hub, api, online, session, page: a } = await tabWithWrites(['a1'])
    const copy = fakeStorage()
    for (const [k, v] of session.data) copy.setItem(k, v)
    const dup = openPage({ storage, locks: hub.tab(), online, spool: { session: copy } })
    await dup.clock.advance(ADOPT_GRACE - 1)
    expect(dup.queue.getSnapshot().restoring).toBe(true)
    await dup.clock.advance(1)
    await dup.queue.ready
    expect(dup.queue.getSnapshot().restoring).toBe(false)
    expect(dup.of('restored')).toEqual([])
    online.setOnline(true)
    await a.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
    expect(dup.of('restored')).toEqual([])
  })

  it('2.7 a disposed tab adopts nothing later and leaves the partition free for the next page', async () => {
    const { storage, hub, api, online, tabA, page: a } = await tabWithWrites(['a1'])
    const b = openPage({ storage, locks: hub.tab(), online })
    await b.queue.ready
    b.queue.dispose()
    tabA.close()
    a.queue.dispose()
    await flush()
    expect(b.of('restored')).toEqual([])
    // The partition is free for the next page.
    const c = openPage({ storage, locks: hub.tab(), online })
    await c.queue.ready
    expect(c.of('restored').map((e) => e.items.length)).toEqual([1])
    online.setOnline(true)
    await c.queue.whenIdle()
    expect(api.received.map((r) => r.body)).toEqual(['a1'])
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
