import { describe, expect, it } from 'vitest'
import { isSpoolError } from '../../src/index.ts'
import { fakeClock } from '../support/clock.ts'
import { API, HttpResponse } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush, until } from '../support/tick.ts'
import { openPage } from './support/page.ts'
import { fakeApi, gate } from './support/server.ts'
import { fakeStorage, throwingStorage } from './support/storage.ts'

const url = (path: string) => `${API}${path}`
const stored = (storage: { data: Map<string, string> }) =>
  [...storage.data.values()].map((v) => JSON.parse(v) as { url: string; key: string })

describe('2.7 spool: store, send, delete', () => {
  it('2.7 a write is stored before it is sent and deleted once it succeeded', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const seen: string[][] = []
    api.reply = (_, apply) => {
      seen.push(stored(storage).map((s) => s.url))
      apply()
      return HttpResponse.text('ok')
    }
    const { queue } = openPage({ storage })
    const res = await queue.fetch(url('/stops'), { method: 'POST', json: { a: 1 } })
    expect(res.status).toBe(200)
    expect(seen).toEqual([[url('/stops')]])
    await until(() => storage.data.size === 0, 'the record to be deleted')
  })

  it('2.7 reads and persist:false writes are not stored', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const { queue } = openPage({ storage })
    await queue.ready
    await Promise.all([
      queue.fetch(url('/stats')),
      queue.fetch(url('/log'), { method: 'POST', body: 'x', persist: false }),
    ])
    expect(api.received).toHaveLength(2)
    expect(storage.writes).toBe(0)
  })

  it('2.7 a write stays stored while it is retried and is deleted only when it settles for good', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    let answers = [503, 503, 200]
    api.reply = (_, apply) => {
      const status = answers.shift() ?? 200
      if (status === 200) apply()
      return new HttpResponse(null, { status })
    }
    const page = openPage({ storage })
    const done = page.queue.fetch(url('/stops'), { method: 'PUT', body: 'v1' })
    await until(() => page.of('retrying').length === 1, 'first retry')
    expect(storage.data.size).toBe(1)
    await page.clock.advance(60_000)
    await done
    expect(api.received.map((r) => r.key)).toEqual(Array(3).fill(api.received[0]!.key))
    expect(storage.data.size).toBe(0)

    // A final failure in 'continue' mode is settled for good too.
    answers = [400]
    await page.queue.fetch(url('/bad'), { method: 'POST' }).catch(() => {})
    expect(storage.data.size).toBe(0)
  })

  it("2.4 with onFailure 'pause' a parked write stays stored until it is discarded", async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    api.reply = () => new HttpResponse(null, { status: 422 })
    const page = openPage({ storage, queue: { onFailure: 'pause' } })
    page.queue.fetch(url('/stops'), { method: 'POST' })
    await until(() => page.of('failed').length === 1, 'failure')
    expect(storage.data.size).toBe(1)
    page.queue.discard(page.queue.getSnapshot().items[0]!.id)
    await flush()
    expect(storage.data.size).toBe(0)
  })

  it('2.3 a superseded pending write is deleted from storage', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const hold = gate()
    api.reply = async (r, apply) => {
      if (r.path === '/first') await hold.opened
      apply()
      return HttpResponse.text('ok')
    }
    const page = openPage({ storage })
    page.queue.fetch(url('/first'), { method: 'POST' })
    page.queue.fetch(url('/doc'), { method: 'PUT', body: 'v1', dedupe: true })
    page.queue.fetch(url('/doc'), { method: 'PUT', body: 'v2', dedupe: true })
    await until(() => api.received.length === 1, 'first request')
    expect(stored(storage).map((s) => s.url)).toEqual([url('/first'), url('/doc')])
    hold.open()
    await page.queue.whenIdle()
    expect(api.applied.map((r) => r.body)).toEqual(['', 'v2'])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 the durable flag tells whether an item survives a reload', async () => {
    const storage = fakeStorage()
    fakeApi()
    const hold = gate()
    const page = openPage({
      storage,
      queue: { transport: () => hold.opened.then(() => new Response('ok')) },
    })
    page.queue.fetch(url('/a'), { method: 'POST', body: 'a' })
    page.queue.fetch(url('/b'), { method: 'POST', body: new Blob(['b']) })
    page.queue.fetch(url('/c'), { method: 'POST', body: 'c', persist: false })
    await page.queue.ready
    await flush()
    expect(page.queue.getSnapshot().items.map((i) => [i.url, i.durable])).toEqual([
      [url('/a'), true],
      [url('/b'), false],
      [url('/c'), false],
    ])
    hold.open()
  })
})

describe('2.7 spool: reload and crash', () => {
  it('2.7 a crash mid-send resends the write after the reload, with the same Idempotency-Key', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const never = gate()
    api.reply = async (_, apply) => {
      apply() // the server applied it, but the page dies before the answer arrives
      await never.opened
      return HttpResponse.text('late')
    }
    const first = openPage({ storage })
    first.queue.fetch(url('/stops'), { method: 'POST', json: { stop: 1 }, meta: { doc: 7 } })
    await until(() => api.received.length === 1, 'the first attempt')
    first.queue.dispose()
    expect(storage.data.size).toBe(1)

    api.reply = (_, apply) => {
      apply()
      return HttpResponse.text('ok')
    }
    const second = openPage({ storage })
    await second.queue.ready
    await second.queue.whenIdle()
    expect(api.received).toHaveLength(2)
    expect(api.received[1]!.key).toBe(api.received[0]!.key)
    expect(api.received[1]!.body).toBe('{"stop":1}')
    expect(api.applied).toHaveLength(1)
    expect(second.of('sent').map((e) => e.item.meta)).toEqual([{ doc: 7 }])
    expect(storage.data.size).toBe(0)
    never.open()
  })

  it('2.7 restored writes go ahead of new ones in their original order, and raise restored', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const first = openPage({
      storage,
      online: fakeOnline(false),
    })
    for (const n of [1, 2, 3])
      first.queue.fetch(url(`/w${n}`), { method: 'POST', body: `${n}`, meta: { n } })
    await first.queue.ready
    await flush()
    first.queue.dispose()
    expect(api.received).toEqual([])

    const second = openPage({ storage })
    // Enqueued before the spool finished loading: still goes after the restored ones.
    const fresh = second.queue.fetch(url('/new'), { method: 'POST', body: 'new', meta: { n: 4 } })
    await second.queue.ready
    await fresh
    await second.queue.whenIdle()
    expect(api.received.map((r) => r.path)).toEqual(['/w1', '/w2', '/w3', '/new'])
    const restored = second.of('restored')
    expect(restored).toHaveLength(1)
    expect(restored[0]!.items.map((i) => i.meta)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    expect(restored[0]!.items.every((i) => i.durable)).toBe(true)
    expect(second.of('sent').map((e) => e.item.meta)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
    ])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 outcomes of restored writes arrive by event with their meta, failures included', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const first = openPage({ storage, online: fakeOnline(false) })
    first.queue.fetch(url('/ok'), { method: 'POST', meta: 'ok' })
    first.queue.fetch(url('/gone'), { method: 'DELETE', meta: 'gone' })
    await first.queue.ready
    first.queue.dispose()
    api.reply = (r) => new HttpResponse(null, { status: r.path === '/gone' ? 404 : 201 })
    const second = openPage({ storage })
    await second.queue.ready
    await second.queue.whenIdle()
    expect(second.of('sent').map((e) => [e.item.meta, e.response.status])).toEqual([['ok', 201]])
    expect(second.of('failed').map((e) => [e.item.meta, (e.error as Error).name])).toEqual([
      ['gone', 'HttpError'],
    ])
    expect(storage.data.size).toBe(0)
  })

  it('2.7 records older than maxAge raise expired, are deleted and never sent', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const first = openPage({ storage, online: fakeOnline(false) })
    first.queue.fetch(url('/old'), { method: 'POST', meta: 'old' })
    await first.queue.ready
    await first.clock.advance(30 * 60_000)
    first.queue.fetch(url('/recent'), { method: 'POST', meta: 'recent' })
    await flush()
    first.queue.dispose()
    expect(storage.data.size).toBe(2)

    const clock = first.clock
    await clock.advance(60 * 60_000 - 1)
    const second = openPage({ storage, clock, spool: { maxAge: 60 * 60_000 } })
    await second.queue.ready
    await second.queue.whenIdle()
    expect(second.of('expired').map((e) => e.item.meta)).toEqual(['old'])
    expect(api.received.map((r) => r.path)).toEqual(['/recent'])
    expect(storage.data.size).toBe(0)
  })

  it('10 clear() rejects pending writes and wipes storage, also what an earlier page left', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const first = openPage({ storage, online: fakeOnline(false) })
    first.queue.fetch(url('/a'), { method: 'POST' })
    await first.queue.ready
    first.queue.dispose()
    const second = openPage({ storage, online: fakeOnline(false) })
    const b = second.queue.fetch(url('/b'), { method: 'POST' })
    await second.queue.ready
    expect(storage.data.size).toBe(2)
    await second.queue.clear()
    await expect(b).rejects.toMatchObject({ name: 'AbortError' })
    expect(storage.data.size).toBe(0)
    second.queue.dispose()
    const third = openPage({ storage })
    await third.queue.ready
    await third.queue.whenIdle()
    expect(api.received).toEqual([])
  })
})

describe('2.7 spool: storage limits never lose a write', () => {
  const cases: [string, () => ReturnType<typeof fakeStorage>, string][] = [
    ['setItem throws { name: QuotaExceededError }', () => fakeStorage({ quota: 0 }), 'quota'],
    [
      'setItem throws a legacy error with code 22',
      () => fakeStorage({ quota: 0, quotaError: () => ({ name: 'Error', code: 22 }) }),
      'quota',
    ],
  ]
  it.each(cases)('2.7 %s: sent from memory, durable false, spoolerror', async (_, make, code) => {
    const storage = make()
    const api = fakeApi()
    const page = openPage({ storage })
    const res = await page.queue.fetch(url('/stops'), { method: 'POST', body: 'x', meta: 'm' })
    expect(res.status).toBe(200)
    expect(api.applied.map((r) => r.body)).toEqual(['x'])
    const [error] = page.of('spoolerror')
    expect(error?.error.code).toBe(code)
    expect(error?.item).toMatchObject({ meta: 'm', durable: false })
    expect(page.of('sent')[0]!.item.durable).toBe(false)
  })

  it('2.7 a Blob or FormData body is sent from memory with durable false and spoolerror unstorable', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const page = openPage({ storage })
    const form = new FormData()
    form.set('f', 'v')
    await Promise.all([
      page.queue.fetch(url('/blob'), { method: 'POST', body: new Blob(['blob!']) }),
      page.queue.fetch(url('/form'), { method: 'POST', body: form }),
    ])
    expect(api.applied.map((r) => r.path)).toEqual(['/blob', '/form'])
    expect(api.applied[0]!.body).toBe('blob!')
    expect(page.of('spoolerror').map((e) => [e.error.code, e.item?.url])).toEqual([
      ['unstorable', url('/blob')],
      ['unstorable', url('/form')],
    ])
    expect(storage.writes).toBe(0)
  })

  it('2.7 an item over maxItemBytes is sent from memory with spoolerror too-large', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const page = openPage({ storage, spool: { maxItemBytes: 4096 } })
    await page.queue.fetch(url('/small'), { method: 'POST', body: 'x' })
    await page.queue.fetch(url('/big'), { method: 'POST', body: 'x'.repeat(5000) })
    expect(api.applied.map((r) => r.path)).toEqual(['/small', '/big'])
    expect(page.of('spoolerror').map((e) => [e.error.code, e.item?.url])).toEqual([
      ['too-large', url('/big')],
    ])
  })

  it('2.7 no localStorage (Node has none): the queue starts, reports unavailable, sends from memory', async () => {
    const api = fakeApi()
    const page = openPage()
    const res = await page.queue.fetch(url('/stops'), { method: 'POST', body: 'x' })
    expect(res.status).toBe(200)
    expect(api.applied).toHaveLength(1)
    const errors = page.of('spoolerror')
    expect(errors.length).toBeGreaterThan(0)
    expect(errors.every((e) => isSpoolError(e.error) && e.error.code === 'unavailable')).toBe(true)
    expect(errors.at(-1)?.item?.durable).toBe(false)
  })

  it('2.7 a storage that throws on access: same, nothing is lost', async () => {
    const api = fakeApi()
    const page = openPage({ storage: throwingStorage() })
    await page.queue.fetch(url('/a'), { method: 'POST', body: 'a' })
    await page.queue.fetch(url('/b'), { method: 'PATCH', body: 'b' })
    expect(api.applied.map((r) => r.body)).toEqual(['a', 'b'])
    expect(page.of('spoolerror').map((e) => e.error.code)).toEqual([
      'unavailable',
      'unavailable',
      'unavailable',
    ])
  })
})

describe('2.7 spool: order across several reloads', () => {
  it('2.7 writes made after a reload still go after the older stored ones at the next reload', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const online = fakeOnline(false)
    const clock = fakeClock()
    const page1 = openPage({ storage, online, clock })
    for (const n of [1, 2, 3, 4])
      page1.queue.fetch(url(`/w${n}`), { method: 'POST', body: `w${n}` })
    await page1.queue.ready
    let hang = true
    api.reply = (r, apply) => {
      if (hang && r.body === 'w3') return new Promise<Response>(() => {})
      apply()
      return HttpResponse.text('ok')
    }
    online.setOnline(true)
    await until(() => api.received.length === 3, 'w1, w2 and w3')
    expect(storage.data.size).toBe(2)
    page1.queue.dispose()
    online.setOnline(false)
    hang = false

    // Same millisecond (a fast reload, or a clock that does not move): only seq orders them.
    const page2 = openPage({ storage, online, clock })
    await page2.queue.ready
    page2.queue.fetch(url('/w5'), { method: 'POST', body: 'w5' })
    await flush()
    page2.queue.dispose()

    expect(storage.data.size).toBe(3)
    const page3 = openPage({ storage, online, clock })
    await page3.queue.ready
    online.setOnline(true)
    await page3.queue.whenIdle()
    expect(api.applied.map((r) => r.body)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5'])
  })
})
