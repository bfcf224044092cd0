import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/index.ts'
import { localStorageSpool } from '../../src/spool/local-storage.ts'
import { fakeOnline } from '../support/online.ts'
import { url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import { controlledTransport } from '../support/transport.ts'
import { lockHub } from './support/locks.ts'
import { fakeStorage } from './support/storage.ts'

describe('2.7 a queue disposed before its spool was read', () => {
  // React's StrictMode runs an effect, its cleanup and the effect again in one go: the first
  // queue is disposed in the same task that created it.
  it('2.7 locks no partition, so the next queue adopts the stored writes and sends them once', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const t = controlledTransport()
    const spool = (locks: ReturnType<typeof hub.tab>) =>
      localStorageSpool({ key: 'chat:u1', storage, locks })

    const oldTab = hub.tab()
    const old = createQueue({
      spool: spool(oldTab),
      transport: t.transport,
    })
    old.pause()
    old.fetch(url('/messages'), { method: 'POST', body: 'hello' }).catch(() => {})
    await old.ready
    await flush()
    old.dispose()
    oldTab.close()

    const tab = hub.tab()
    const online = fakeOnline()
    createQueue({ spool: spool(tab), online, transport: t.transport }).dispose()
    const live = createQueue({ spool: spool(tab), online, transport: t.transport })
    await live.ready
    await flush()
    expect(t.calls.map((c) => c.body)).toEqual(['hello'])
    expect(tab.held()).toHaveLength(2) // its own partition and the adopted one
    t.calls[0]!.respond(200)
    await live.whenIdle()
    live.dispose()
    await flush()
    expect(tab.held()).toEqual([])
    expect(storage.data.size).toBe(0)
  })
})
