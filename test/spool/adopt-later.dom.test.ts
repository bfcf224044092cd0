// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { ADOPT_GRACE } from '../../src/spool/partitions.ts'
import { API } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush, until } from '../support/tick.ts'
import { lockHub } from './support/locks.ts'
import { KEY, openPage } from './support/page.ts'
import { fakeApi } from './support/server.ts'
import { fakeStorage } from './support/storage.ts'

const url = (path: string) => `${API}${path}`

// The page is http://localhost:3000 here; the test API is another origin.
const spool = { allowedOrigins: [API] }

/** What the browser does in every other tab of the origin when one tab writes to localStorage. */
const announce = (key: string) => window.dispatchEvent(new StorageEvent('storage', { key }))

describe('2.7 several tabs, a tab opened later', () => {
  it('2.7 a tab opened after this one shows its partition by writing; when it closes, this one sends its writes', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const api = fakeApi()
    const online = fakeOnline(false)
    const a = openPage({ storage, locks: hub.tab(), online, spool })
    await a.queue.ready
    const tabB = hub.tab()
    const b = openPage({ storage, locks: tabB, online, spool })
    b.queue.fetch(url('/b1'), { method: 'POST', body: 'b1', meta: 'b1' })
    await b.queue.ready
    await flush()
    const [written] = [...storage.data.keys()]
    expect(written?.startsWith(`${KEY}/`)).toBe(true)
    announce(written!)
    // Some other key of the origin, and a clear(): neither names a partition.
    announce('unrelated')
    window.dispatchEvent(new StorageEvent('storage', { key: null }))
    await flush()
    expect(a.of('restored')).toEqual([])

    tabB.close()
    b.queue.dispose()
    await flush()
    await a.clock.advance(ADOPT_GRACE)
    await until(() => a.of('restored').length === 1, 'A adopts what B left')
    online.setOnline(true)
    await a.queue.whenIdle()
    expect(a.of('restored')[0]!.items.map((i) => i.meta)).toEqual(['b1'])
    expect(api.received.map((r) => r.body)).toEqual(['b1'])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a disposed queue adopts nothing from a tab that closes later', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const online = fakeOnline(false)
    const a = openPage({ storage, locks: hub.tab(), online, spool })
    await a.queue.ready
    a.queue.dispose()
    const tabB = hub.tab()
    const b = openPage({ storage, locks: tabB, online, spool })
    b.queue.fetch(url('/b1'), { method: 'POST', body: 'b1' })
    await b.queue.ready
    await flush()
    announce([...storage.data.keys()][0]!)
    tabB.close()
    b.queue.dispose()
    await flush()
    await a.clock.advance(ADOPT_GRACE)
    await flush()
    expect(a.of('restored')).toEqual([])
    expect(storage.data.size).toBe(1)
  })

  it('2.7 a storage event that names no partition of this spool takes no lock', async () => {
    const storage = fakeStorage()
    const tabA = lockHub().tab()
    const a = openPage({ storage, locks: tabA, online: fakeOnline(false), spool })
    await a.queue.ready
    const own = tabA.held()
    expect(own).toHaveLength(1)
    for (const key of ['unrelated', `${KEY}/Not-A-Partition/x`, `${KEY}x/p/1`]) announce(key)
    window.dispatchEvent(new StorageEvent('storage', { key: null }))
    await flush()
    await a.clock.advance(ADOPT_GRACE)
    await flush()
    expect(tabA.held()).toEqual(own)
  })

  it('2.7 without Web Locks, a storage event naming a partition is ignored: the one instance has nothing to wait for', async () => {
    const storage = fakeStorage()
    const a = openPage({ storage, locks: null, online: fakeOnline(false), spool })
    await a.queue.ready
    // The listener must not throw: the page would report it as an uncaught error.
    expect(() => announce(`${KEY}/abc/x`)).not.toThrow()
    await flush()
    await a.clock.advance(ADOPT_GRACE)
    expect([a.of('restored'), a.of('spoolerror')]).toEqual([[], []])
  })
})
