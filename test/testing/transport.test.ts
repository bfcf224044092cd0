import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/queue.ts'
import { manualClock } from '../../src/testing/clock.ts'
import { flush } from '../../src/testing/flush.ts'
import { manualOnline } from '../../src/testing/online.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { settle, track } from '../support/queue.ts'

const API = 'https://api.test'

function setup(options: Parameters<typeof testTransport>[0] = {}) {
  const t = testTransport(options)
  const clock = manualClock()
  const queue = track(
    createQueue({ transport: t.transport, clock, online: manualOnline(), timeout: false }),
  )
  return { t, clock, queue }
}

describe('testing: testTransport', () => {
  it('records every call with its request, label, kind, body and idempotency key', async () => {
    const { t, queue } = setup()
    queue.fetch(`${API}/stops?day=1`, { method: 'POST', json: { stops: [1] } })
    await flush()
    const call = t.calls[0]!
    expect(call.label).toBe('POST /stops?day=1')
    expect(call.kind).toBe('write')
    expect(call.json()).toEqual({ stops: [1] })
    expect(call.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(call.request.headers.get('content-type')).toBe('application/json')
    expect(t.labels()).toEqual(['POST /stops?day=1'])
  })

  it('answer() takes a Response, a status, or its parts; the caller gets exactly that', async () => {
    const { t, queue } = setup()
    const a = queue.fetch(`${API}/a`)
    const b = queue.fetch(`${API}/b`)
    const c = queue.fetch(`${API}/c`)
    await flush()
    t.calls[0]!.answer(new Response('as is', { status: 201 }))
    t.calls[1]!.answer(204)
    t.calls[2]!.answer({ json: { ok: true }, headers: { etag: '"1"' } })
    const [ra, rb, rc] = await Promise.all([a, b, c])
    expect([ra.status, await ra.text()]).toEqual([201, 'as is'])
    expect([rb.status, rb.body]).toEqual([204, null])
    expect(rc.headers.get('content-type')).toBe('application/json')
    expect(rc.headers.get('etag')).toBe('"1"')
    expect(await rc.json()).toEqual({ ok: true })
  })

  it('fail() answers with a failing status (500 by default), which the queue retries', async () => {
    const { t, queue, clock } = setup()
    const retrying: number[] = []
    queue.on('retrying', (e) => retrying.push(e.delay))
    const p = queue.fetch(`${API}/a`, { method: 'POST' })
    await flush()
    t.calls[0]!.fail(503, { headers: { 'retry-after': '2' } })
    await flush()
    expect(retrying).toEqual([2000])
    await clock.advance(2000)
    t.calls[1]!.fail()
    await flush()
    expect(retrying).toHaveLength(2)
    await clock.next()
    t.calls[2]!.answer()
    expect((await p).status).toBe(200)
    expect(t.calls.map((c) => c.key)).toEqual([t.calls[0]!.key, t.calls[0]!.key, t.calls[0]!.key])
  })

  it('drop() rejects like a dropped connection (a TypeError, as fetch does), or with the error given', async () => {
    const { t, queue, clock } = setup()
    const errors: unknown[] = []
    queue.on('retrying', (e) => errors.push((e.error as Error).cause))
    queue.fetch(`${API}/a`, { method: 'POST' })
    await flush()
    t.calls[0]!.drop()
    await clock.next()
    const boom = new Error('boom')
    t.calls[1]!.drop(boom)
    await flush()
    expect(errors[0]).toBeInstanceOf(TypeError)
    expect((errors[0] as Error).message).toBe('Failed to fetch')
    expect(errors[1]).toBe(boom)
  })

  it('hang() leaves the call to its signal: the queue timeout ends it, and next() skips it', async () => {
    const t = testTransport()
    const clock = manualClock()
    const queue = track(
      createQueue({ transport: t.transport, clock, online: manualOnline(), timeout: 1000 }),
    )
    const errors: string[] = []
    queue.on('retrying', (e) => errors.push(e.error.name))
    queue.fetch(`${API}/slow`)
    t.on('GET /slow', (call) => call.hang())
    await flush()
    expect(t.calls[0]!.hung).toBe(true)
    expect(t.open()).toEqual([])
    await clock.advance(1000)
    expect(t.calls[0]!.settled).toBe(true)
    expect(errors).toEqual(['TimeoutError'])
  })

  it('an abort rejects the call with the signal reason, unless ignoreAbort', async () => {
    for (const ignoreAbort of [false, true]) {
      const { t, queue } = setup({ ignoreAbort })
      const ctrl = new AbortController()
      const p = settle(queue.fetch(`${API}/a`, { signal: ctrl.signal }))
      await flush()
      ctrl.abort(new Error('stop'))
      await flush()
      expect(p.status).toBe('rejected')
      expect(t.calls[0]!.settled).toBe(!ignoreAbort)
    }
  })

  it('on() answers matching calls as they arrive, by method and URL, and stops when removed', async () => {
    const { t, queue } = setup()
    const off = t.on('GET /stats', (call) => call.answer({ json: { n: call.index } }))
    t.on('POST /stops', (call) => call.answer(201))
    expect(await (await queue.fetch(`${API}/stats`)).json()).toEqual({ n: 0 })
    expect((await queue.fetch(`${API}/stops`, { method: 'POST' })).status).toBe(201)
    off()
    const later = settle(queue.fetch(`${API}/stats`))
    await flush()
    expect(later.status).toBe('pending')
    expect(t.open().map((c) => c.label)).toEqual(['GET /stats'])
  })

  it.each([
    ['*', true],
    ['/stops', true],
    ['POST /stops', true],
    ['post /stops', true],
    ['GET /stops', false],
    ['/stop', false],
    ['/st*', true],
    ['/stops?day=1', true],
    ['/stops?day=2', false],
    [`${API}/stops`, true],
    ['https://other.test/stops', false],
    [`POST ${API}/stops?day=1`, true],
  ])('a string pattern %j matches POST /stops?day=1: %s', async (pattern, hit) => {
    const { t, queue } = setup()
    queue.fetch(`${API}/stops?day=1`, { method: 'POST' })
    await flush()
    expect(t.open(pattern)).toHaveLength(hit ? 1 : 0)
  })

  it('a RegExp matches "METHOD url", a function matches the call', async () => {
    const { t, queue } = setup()
    queue.fetch(`${API}/stops`, { method: 'PUT' })
    await flush()
    expect(t.open(/^PUT .*\/stops$/)).toHaveLength(1)
    expect(t.open(/^POST/)).toHaveLength(0)
    expect(t.open((c) => c.kind === 'write')).toHaveLength(1)
  })

  it('next() resolves with an open call already there, or with the next one to arrive', async () => {
    const { t, queue } = setup()
    queue.fetch(`${API}/a`, { method: 'POST' })
    const first = await t.next()
    expect(first.label).toBe('POST /a')
    const second = t.next('POST /b')
    queue.fetch(`${API}/b`, { method: 'POST' })
    first.answer()
    expect((await second).label).toBe('POST /b')
  })

  it('counts overlaps: reads side by side are fine, a write beside anything is a write overlap', async () => {
    const { t } = setup()
    const ctx = (kind: 'read' | 'write') =>
      ({ signal: new AbortController().signal, attempt: 1, item: { kind } }) as never
    const req = (method: string) =>
      ({ url: `${API}/x`, method, headers: new Headers(), signal: undefined }) as never
    t.transport(req('GET'), ctx('read'))
    t.transport(req('GET'), ctx('read'))
    expect(t.overlaps).toHaveLength(1)
    expect(t.writeOverlaps).toEqual([])
    t.transport(req('POST'), ctx('write'))
    expect(t.overlaps).toHaveLength(3)
    expect(t.writeOverlaps).toHaveLength(2)
    expect(t.maxLive).toBe(3)
    expect(t.calls[2]!.overlapping).toEqual([t.calls[0], t.calls[1]])
    for (const c of t.live) c.answer()
    expect(t.live).toEqual([])
    expect(t.calls[0]!.end).toBeLessThan(t.calls[2]!.end!)
  })

  it('the queue keeps its promise: no write overlap under a burst of reads and writes', async () => {
    const { t, queue } = setup()
    t.on('*', (call) => queueMicrotask(() => call.answer()))
    const all = []
    for (let i = 0; i < 20; i++)
      all.push(queue.fetch(`${API}/${i}`, { method: i % 3 ? 'GET' : 'POST' }))
    await Promise.all(all)
    expect(t.calls).toHaveLength(20)
    expect(t.overlaps.length).toBeGreaterThan(0)
    expect(t.writeOverlaps).toEqual([])
  })

  it('a bad reply throws at the test and leaves the call open', async () => {
    const { t, queue } = setup()
    queue.fetch(`${API}/a`)
    await flush()
    expect(() => t.calls[0]!.answer(42)).toThrow(RangeError)
    expect(t.calls[0]!.settled).toBe(false)
  })
})

describe('testing: testTransport input', () => {
  it('a bad match or handler is a TypeError at the call that got it', () => {
    const t = testTransport()
    expect(() => t.on(42 as never, () => {})).toThrow(TypeError)
    expect(() => t.on('*', 'answer' as never)).toThrow(TypeError)
    expect(() => t.open({} as never)).toThrow(TypeError)
    expect(() => t.next(null as never)).toThrow(TypeError)
  })
})
