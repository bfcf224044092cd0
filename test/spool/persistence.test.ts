import { describe, expect, it } from 'vitest'
import {
  createQueue,
  type DefinedSpool,
  defineSpool,
  type QueueEvents,
  type QueueOptions,
  SpoolError,
  type SpoolLoad,
  type SpoolRecord,
} from '../../src/index.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { track } from '../support/queue.ts'
import { flush, until } from '../support/tick.ts'
import { recordingSpool } from './support/recording.ts'
import { ORIGIN, record } from './support/records.ts'

const url = (path: string) => `${ORIGIN}${path}`
const NOW = fakeClock().now()

type Logged = { type: string; ids: string[]; by?: string; error?: SpoolError }

/** A queue over `spool` that logs its spool events in order; the transport answers 200 to all. */
function open(spool: DefinedSpool, options: QueueOptions = {}) {
  const t = testTransport()
  t.on(
    () => true,
    (call) => call.answer(),
  )
  const clock = fakeClock()
  const queue = track(
    createQueue({ spool, transport: t.transport, clock, online: fakeOnline(), ...options }),
  )
  const log: Logged[] = []
  queue.on('restored', (e) => log.push({ type: 'restored', ids: e.items.map((i) => i.id) }))
  queue.on('expired', (e) => log.push({ type: 'expired', ids: [e.item.id] }))
  queue.on('superseded', (e) => log.push({ type: 'superseded', ids: [e.item.id], by: e.by.id }))
  queue.on('spoolerror', (e: QueueEvents['spoolerror']) =>
    log.push({ type: 'spoolerror', ids: e.item ? [e.item.id] : [], error: e.error }),
  )
  return { t, clock, queue, log }
}

describe('2.7 persistence: spool failures never lose a write', () => {
  const failures: [string, (e: unknown) => void | Promise<void>][] = [
    [
      'throws',
      (e) => {
        throw e
      },
    ],
    ['rejects', (e) => Promise.reject(e)],
  ]
  it.each(failures)(
    '2.7 a put that %s with a plain error raises spoolerror failed with that cause, and the write is sent from memory',
    async (_, fail) => {
      const cause = new TypeError('disk on fire')
      const spool = defineSpool({
        name: 'broken',
        load: () => ({ records: [] }),
        put: () => fail(cause),
        delete() {},
        clear() {},
      })
      const { queue, log, t } = open(spool)
      await queue.ready
      const res = await queue.fetch(url('/notes'), { method: 'POST' })
      expect(res.status).toBe(200)
      expect(log.map((e) => [e.type, e.error?.code, e.error?.message, e.error?.cause])).toEqual([
        ['spoolerror', 'failed', 'The spool failed', cause],
      ])
      expect(log[0]!.ids).toHaveLength(1)
      expect(t.labels()).toEqual(['POST /notes'])
    },
  )

  it('2.7 a put that rejects with a SpoolError raises it as it is, and the item is not durable', async () => {
    const error = new SpoolError('quota', 'full')
    const spool = defineSpool({
      name: 'full',
      load: () => ({ records: [] }),
      put: () => Promise.reject(error),
      delete() {},
      clear() {},
    })
    const { queue, log } = open(spool)
    const durable: (boolean | undefined)[] = []
    queue.on('spoolerror', (e) => durable.push(e.item?.durable))
    await queue.ready
    await queue.fetch(url('/notes'), { method: 'POST' })
    await until(() => log.length === 1, 'the spool error')
    expect(log[0]!.error).toBe(error)
    expect(durable).toEqual([false])
  })

  it('2.8 a spool method may return any value that is not a promise: it is not an error', async () => {
    const puts: string[] = []
    const spool = defineSpool({
      name: 'chatty',
      load: () => ({ records: [] }),
      put: (r: SpoolRecord) => {
        puts.push(r.id)
        return { ok: true } as never
      },
      delete: () => 1 as never,
      clear() {},
    })
    const { queue, log } = open(spool)
    await queue.ready
    await queue.fetch(url('/notes'), { method: 'POST' })
    await flush()
    expect([puts.length, log]).toEqual([1, []])
  })

  it('2.7 a write that was never stored is never deleted from the spool', async () => {
    const s = recordingSpool()
    const { queue, log } = open(s.spool)
    await queue.ready
    await queue.fetch(url('/log'), { method: 'POST', persist: false })
    await queue.fetch(url('/notes'), { method: 'POST' })
    await flush()
    expect(s.puts.map((r) => r.url)).toEqual([url('/notes')])
    expect(s.deletes).toEqual([s.puts[0]!.id])
    expect(log).toEqual([])
  })
})

describe('2.7 persistence: restoring', () => {
  it('2.7 restored records go by enqueue time, then by sequence, whatever order the spool gives', async () => {
    const records = [
      record({ id: 'a', at: NOW - 5, seq: 2, url: url('/a') }),
      record({ id: 'b', at: NOW - 9, seq: 9, url: url('/b') }),
      record({ id: 'c', at: NOW - 5, seq: 1, url: url('/c') }),
      record({ id: 'd', at: NOW - 1, seq: 0, url: url('/d') }),
    ]
    const { queue, log, t } = open(recordingSpool({ records }).spool)
    await queue.ready
    await until(() => t.calls.length === 4, 'the restored writes to be sent')
    expect(log).toEqual([{ type: 'restored', ids: ['b', 'c', 'a', 'd'] }])
    expect(t.labels()).toEqual(['POST /b', 'POST /c', 'POST /a', 'POST /d'])
  })

  it('2.7 a record exactly maxAge old is still sent; one a millisecond older expires', async () => {
    const records = [
      record({ id: 'old', at: NOW - 1001, url: url('/old') }),
      record({ id: 'edge', at: NOW - 1000, url: url('/edge') }),
    ]
    const s = recordingSpool({ records }, { maxAge: 1000 })
    const { queue, log, t } = open(s.spool)
    await queue.ready
    await until(() => t.calls.length === 1, 'the restored write to be sent')
    expect(log).toEqual([
      { type: 'expired', ids: ['old'] },
      { type: 'restored', ids: ['edge'] },
    ])
    expect(t.labels()).toEqual(['POST /edge'])
    expect(s.deletes[0]).toBe('old')
  })

  it('2.7 a record the queue cannot turn back into an item is set aside; the others are restored', async () => {
    const bad = { ...record({ id: 'bad' }), headers: null } as unknown as SpoolRecord
    const good = record({ id: 'good', at: NOW })
    const { queue, log } = open(recordingSpool({ records: [bad, good] }).spool)
    await queue.ready
    expect(log.map((e) => [e.type, e.ids, e.error?.code, e.error?.message])).toEqual([
      ['spoolerror', [], 'invalid', 'Stored record bad could not be restored'],
      ['restored', ['good'], undefined, undefined],
    ])
    expect(log[0]!.error!.cause).toBeInstanceOf(TypeError)
  })

  it('2.7 a load without errors raises no spoolerror', async () => {
    const { queue, log } = open(recordingSpool({ records: [record({ at: NOW })] }).spool)
    await queue.ready
    expect(log.map((e) => e.type)).toEqual(['restored'])
  })

  it('2.3 a restored read is superseded by a live read of the same dedupe key enqueued as late or later', async () => {
    const stored = record({
      id: 'stored',
      kind: 'read',
      method: 'GET',
      url: url('/doc'),
      at: NOW,
      dedupe: 'doc',
    })
    delete stored.body
    const s = recordingSpool({ records: [stored] }, { hold: true })
    const { queue, log } = open(s.spool)
    const live = queue.fetch(url('/doc'), { dedupe: 'doc', persist: true })
    await flush()
    s.release()
    await queue.ready
    await live
    const liveId = s.puts.find((r) => r.id !== 'stored')!.id
    expect(log).toEqual([{ type: 'superseded', ids: ['stored'], by: liveId }])
    expect(s.deletes).toContain('stored')
  })

  it('2.3 a restored write is never superseded: it may have reached the server, so it goes first', async () => {
    const stored = record({ id: 'stored', method: 'PUT', url: url('/doc'), at: NOW, dedupe: 'doc' })
    const s = recordingSpool({ records: [stored] }, { hold: true })
    const { queue, log, t } = open(s.spool)
    const live = queue.fetch(url('/doc'), { method: 'PUT', body: 'new', dedupe: 'doc' })
    await flush()
    s.release()
    await queue.ready
    await live
    expect(log).toEqual([{ type: 'restored', ids: ['stored'] }])
    expect(t.calls.map((c) => c.body)).toEqual([stored.body!.v, 'new'])
  })
})

describe('2.3 persistence: a write taken over from a closed tab', () => {
  it('2.3 is never superseded by a live write of the same dedupe key: it may have reached the server', async () => {
    let listener: ((load: SpoolLoad) => void) | undefined
    const spool = defineSpool({
      name: 'adopting',
      adopted(l) {
        listener = l
      },
      load: () => ({ records: [] }),
      put() {},
      delete() {},
      clear() {},
    })
    const { queue, log } = open(spool)
    await queue.ready
    queue.pause()
    queue.fetch(url('/doc'), { method: 'PUT', body: 'new', dedupe: 'doc' }).catch(() => {})
    await flush()
    const late = record({ id: 'late', method: 'PUT', url: url('/doc'), at: NOW - 1, dedupe: 'doc' })
    listener!({ records: [late] })
    expect(log).toEqual([{ type: 'restored', ids: ['late'] }])
  })
})

describe('2.7 persistence: loading races', () => {
  it('2.7 records the spool takes over while it is still loading go after its own', async () => {
    let listener: ((load: SpoolLoad) => void) | undefined
    const spool = defineSpool({
      name: 'adopting',
      adopted(l) {
        listener = l
      },
      load() {
        listener!({ records: [record({ id: 'late', at: NOW - 10 })] })
        return { records: [record({ id: 'own', at: NOW })] }
      },
      put() {},
      delete() {},
      clear() {},
    })
    const { queue, log } = open(spool)
    await queue.ready
    expect(log).toEqual([
      { type: 'restored', ids: ['own'] },
      { type: 'restored', ids: ['late'] },
    ])
  })

  it('10 clear() while the spool loads drops what it loads, and writes after it are stored again', async () => {
    const s = recordingSpool({ records: [record({ id: 'old', at: NOW })] }, { hold: true })
    const { queue, log, t } = open(s.spool)
    const early = queue.fetch(url('/early'), { method: 'POST' }).catch((e: Error) => e.name)
    await flush()
    const cleared = queue.clear()
    s.release()
    await cleared
    await queue.ready
    expect(await early).toBe('AbortError')
    await queue.fetch(url('/after'), { method: 'POST' })
    await flush()
    expect(log).toEqual([])
    expect(t.labels()).toEqual(['POST /after'])
    expect(s.puts.map((r) => r.url)).toEqual([url('/after')])
    // And after a clear() once loaded, too.
    await queue.clear()
    await queue.fetch(url('/later'), { method: 'POST' })
    await flush()
    expect(s.puts.map((r) => r.url)).toEqual([url('/after'), url('/later')])
  })

  it('2.7 dispose() while the spool loads: what it loads is neither restored, expired nor deleted', async () => {
    const records = [record({ id: 'old', at: 0 }), record({ id: 'fresh', at: NOW })]
    const s = recordingSpool({ records }, { hold: true })
    const { queue, log, t } = open(s.spool)
    queue.fetch(url('/meanwhile'), { method: 'POST' }).catch(() => {})
    await flush()
    queue.dispose()
    s.release()
    await flush()
    expect([log, s.puts, s.deletes, t.calls.length]).toEqual([[], [], [], 0])
  })
})
