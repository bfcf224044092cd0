import { describe, expect, it } from 'vitest'
import { createQueue, type QueueEvents } from '../../src/index.ts'
import { followJobs } from '../../src/jobs/index.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { track } from '../support/queue.ts'
import { flush, until } from '../support/tick.ts'
import { recordingSpool } from './support/recording.ts'
import { ORIGIN, record } from './support/records.ts'

const url = (path: string) => `${ORIGIN}${path}`

/** A queue over a recording spool and a transport that answers nothing until told. */
function open(spool = recordingSpool(), options: Parameters<typeof createQueue>[0] = {}) {
  const t = testTransport()
  const clock = fakeClock()
  const queue = track(
    createQueue({
      spool: spool.spool,
      transport: t.transport,
      clock,
      online: fakeOnline(),
      ...options,
    }),
  )
  const errors: QueueEvents['spoolerror'][] = []
  queue.on('spoolerror', (e) => errors.push(e))
  return { ...spool, t, clock, queue, errors }
}

/** The bytes 0, 1, …, 250, 0, 1, … */
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251)
const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64')

describe('2.7 the stored record of a write', () => {
  it('2.7 a write is stored with exactly its method, URL, headers, body, key, time and attempts', async () => {
    const q = open()
    await q.queue.ready
    q.queue.fetch(url('/notes'), {
      method: 'POST',
      body: 'hi',
      headers: { 'content-type': 'text/plain' },
      idempotencyKey: 'k1',
    })
    await until(() => q.puts.length === 1, 'the write to be stored')
    const [r] = q.puts
    expect(r).toStrictEqual({
      v: 3,
      id: r!.id,
      seq: r!.seq,
      kind: 'write',
      method: 'POST',
      url: url('/notes'),
      headers: [['content-type', 'text/plain']],
      body: { t: 'text', v: 'hi' },
      key: 'k1',
      keyHeader: 'idempotency-key',
      at: q.clock.now(),
      attempts: 0,
    })
  })

  it('2.7 a read kept with persist true is stored without a body or a key', async () => {
    const q = open()
    await q.queue.ready
    q.queue.fetch(url('/notes/1'), { persist: true })
    await until(() => q.puts.length === 1, 'the read to be stored')
    expect(Object.keys(q.puts[0]!).sort()).toEqual(
      ['at', 'attempts', 'headers', 'id', 'kind', 'method', 'seq', 'url', 'v'].sort(),
    )
    expect([q.puts[0]!.kind, q.puts[0]!.method]).toEqual(['read', 'GET'])
  })

  it('2.9 only a write in a named lane stores its lane', async () => {
    const q = open()
    await q.queue.ready
    q.queue.fetch(url('/a'), { method: 'POST', lane: 'room:42' })
    q.queue.fetch(url('/b'), { method: 'POST' })
    await until(() => q.puts.length === 2, 'both writes to be stored')
    expect(q.puts.map((r) => r.lane)).toEqual(['room:42', undefined])
    expect('lane' in q.puts[1]!).toBe(false)
  })

  it('2.7 the dedupe key, meta and request init are stored when given, and absent otherwise', async () => {
    const q = open()
    await q.queue.ready
    q.queue.fetch(url('/doc'), {
      method: 'PUT',
      body: 'v1',
      dedupe: 'doc',
      meta: { doc: 1 },
      credentials: 'include',
    })
    q.queue.fetch(url('/plain'), { method: 'POST' })
    await until(() => q.puts.length === 2, 'both writes to be stored')
    const [rich, plain] = q.puts
    expect([rich!.dedupe, rich!.meta, rich!.init]).toEqual([
      'doc',
      { doc: 1 },
      { credentials: 'include' },
    ])
    expect(['dedupe' in plain!, 'meta' in plain!, 'init' in plain!]).toEqual([false, false, false])
  })

  it('2.7 credential headers and the spool’s redacted names are left out of the record', async () => {
    const q = open(recordingSpool(undefined, { redactHeaders: ['x-api-key'] }))
    await q.queue.ready
    q.queue.fetch(url('/notes'), {
      method: 'POST',
      headers: {
        authorization: 'Bearer s1',
        cookie: 'sid=s2',
        'x-api-key': 's3',
        'x-trace': 't1',
      },
    })
    await until(() => q.puts.length === 1, 'the write to be stored')
    expect(q.puts[0]!.headers).toEqual([['x-trace', 't1']])
  })

  it('2.7 URLSearchParams, ArrayBuffer and typed-array bodies are stored as params and base64 bytes', async () => {
    const q = open()
    await q.queue.ready
    const big = bytes(2 * 0x8000 + 5)
    const buffer = bytes(300).buffer
    const whole = bytes(20)
    q.queue.fetch(url('/p'), { method: 'POST', body: new URLSearchParams({ a: '1', b: 'é' }) })
    q.queue.fetch(url('/buffer'), { method: 'POST', body: buffer })
    q.queue.fetch(url('/view'), { method: 'POST', body: new Uint8Array(whole.buffer, 3, 4) })
    q.queue.fetch(url('/data'), { method: 'POST', body: new DataView(whole.buffer, 10, 2) })
    q.queue.fetch(url('/big'), { method: 'POST', body: big })
    await until(() => q.puts.length === 5, 'every write to be stored')
    expect(q.puts.map((r) => r.body)).toEqual([
      { t: 'params', v: 'a=1&b=%C3%A9' },
      { t: 'bytes', v: base64(bytes(300)) },
      { t: 'bytes', v: base64(Uint8Array.of(3, 4, 5, 6)) },
      { t: 'bytes', v: base64(Uint8Array.of(10, 11)) },
      { t: 'bytes', v: base64(big) },
    ])
    expect(q.errors).toEqual([])
  })

  it('2.7 a Blob or FormData body is reported unstorable with a message that names its type', async () => {
    const q = open()
    await q.queue.ready
    q.queue.fetch(url('/blob'), { method: 'POST', body: new Blob(['x']) })
    q.queue.fetch(url('/form'), { method: 'POST', body: new FormData() })
    await until(() => q.errors.length === 2, 'both spool errors')
    expect(q.errors.map((e) => [e.error.code, e.error.message, e.item?.durable])).toEqual([
      ['unstorable', 'A Blob body cannot be stored; the item is kept in memory only', false],
      ['unstorable', 'A FormData body cannot be stored; the item is kept in memory only', false],
    ])
    expect(q.puts).toEqual([])
  })
})

describe('2.7 a restored record is sent as it was stored', () => {
  it('2.7 text, params and byte bodies go out as text, form data and the exact bytes', async () => {
    const big = bytes(2 * 0x8000 + 5)
    const records = [
      record({ id: 't', body: { t: 'text', v: 'a b&c=d' }, headers: [] }),
      record({ id: 'p', body: { t: 'params', v: 'a=1&b=%C3%A9' }, headers: [] }),
      record({ id: 'b', body: { t: 'bytes', v: base64(big) }, headers: [] }),
    ]
    const q = open(recordingSpool({ records }))
    await q.queue.ready
    const bodies: unknown[] = []
    for (let i = 0; i < 3; i++) {
      const call = await q.t.next()
      bodies.push(call.request.body)
      call.answer()
    }
    expect(bodies[0]).toBe('a b&c=d')
    expect(bodies[1]).toBeInstanceOf(URLSearchParams)
    expect(String(bodies[1])).toBe('a=1&b=%C3%A9')
    expect(bodies[2]).toBeInstanceOf(Uint8Array)
    expect(base64(bodies[2] as Uint8Array)).toBe(base64(big))
  })

  it('2.7 the key goes out in its stored header, in its stored form', async () => {
    const records = [
      record({ id: 'bare', key: 'k-1', keyHeader: 'x-request-key' }),
      record({ id: 'sf', key: 'k-2', keyHeader: 'idempotency-key', keyFormat: 'sf-string' }),
    ]
    const q = open(recordingSpool({ records }))
    await q.queue.ready
    const seen: (string | null)[][] = []
    for (let i = 0; i < 2; i++) {
      const call = await q.t.next()
      const h = new Headers(call.request.headers)
      seen.push([h.get('x-request-key'), h.get('idempotency-key')])
      call.answer()
    }
    expect(seen).toEqual([
      ['k-1', null],
      [null, '"k-2"'],
    ])
  })
})

describe('2.10 the followed job in the stored record', () => {
  it('2.10 a write answered 202 is stored again with its job; one with follow false stores follow false', async () => {
    const q = open(undefined, { follow: followJobs() })
    await q.queue.ready
    q.queue.fetch(url('/exports'), { method: 'POST' })
    q.queue.fetch(url('/plain'), { method: 'POST', follow: false })
    await until(() => q.puts.length === 2, 'both writes to be stored')
    expect(q.puts.map((r) => [r.job, r.follow])).toEqual([
      [undefined, undefined],
      [undefined, false],
    ])
    expect(['job' in q.puts[0]!, 'follow' in q.puts[0]!]).toEqual([false, false])
    const at = q.clock.now()
    ;(await q.t.next('POST /exports')).answer({ status: 202, headers: { location: '/jobs/1' } })
    await until(() => q.puts.length === 3, 'the accepted write to be stored again')
    expect(q.puts[2]!.job).toEqual({
      location: url('/jobs/1'),
      acceptedAt: at,
      nextPollAt: at + 1000,
    })
    expect('follow' in q.puts[2]!).toBe(false)
  })

  it('2.10 a restored job is polled, never sent again; a restored follow false is not followed', async () => {
    const now = fakeClock().now()
    const records = [
      record({
        id: 'job',
        at: now,
        job: { location: url('/jobs/9'), acceptedAt: now, nextPollAt: now },
      }),
      record({ id: 'nofollow', at: now + 1, url: url('/plain'), follow: false }),
      record({ id: 'follows', at: now + 2, url: url('/other') }),
    ]
    const q = open(recordingSpool({ records }), { follow: followJobs() })
    await q.queue.ready
    ;(await q.t.next('POST /plain')).answer({ status: 202, headers: { location: '/jobs/10' } })
    ;(await q.t.next('POST /other')).answer({ status: 202, headers: { location: '/jobs/11' } })
    await q.clock.advance(0)
    ;(await q.t.next('GET /jobs/9')).answer({ status: 200, body: 'done' })
    await q.clock.advance(1000)
    ;(await q.t.next('GET /jobs/11')).answer({ status: 200, body: 'done' })
    await flush()
    // The job's POST is not sent again, and the 202 to the write with follow false is not polled.
    expect(q.t.labels().sort()).toEqual([
      'GET /jobs/11',
      'GET /jobs/9',
      'POST /other',
      'POST /plain',
    ])
    expect(q.deletes.sort()).toEqual(['follows', 'job', 'nofollow'])
  })
})

describe('2.5 a restored record without an idempotency key', () => {
  it('2.5 a 409 to it is a failure, not the answer to a key already in use', async () => {
    const { key: _key, keyHeader: _header, ...keyless } = record({ id: 'keyless' })
    const q = open(recordingSpool({ records: [keyless] }))
    const events: string[] = []
    q.queue.on('retrying', () => events.push('retrying'))
    q.queue.on('failed', () => events.push('failed'))
    await q.queue.ready
    ;(await q.t.next()).answer(409)
    await flush()
    expect(events).toEqual(['failed'])
    expect(q.t.calls).toHaveLength(1)
  })
})
