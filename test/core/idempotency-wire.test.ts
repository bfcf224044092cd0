import { describe, expect, it } from 'vitest'
import { createQueue, type QueueOptions } from '../../src/index.ts'
import { RECORD_VERSION } from '../../src/spool/record.ts'
import { KEY, openPage } from '../spool/support/page.ts'
import { fakeApi } from '../spool/support/server.ts'
import { fakeStorage } from '../spool/support/storage.ts'
import { API, HttpResponse, http } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { track } from '../support/queue.ts'
import { until } from '../support/tick.ts'

const url = (path: string) => `${API}${path}`
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
const BARE = new RegExp(`^${UUID}$`)
const QUOTED = new RegExp(`^"${UUID}"$`)

/** Posts once through a queue with `options` and returns the headers the server saw. */
async function headersOf(options: QueueOptions, init: RequestInit & { idempotencyKey?: string }) {
  const seen: Headers[] = []
  http.use(
    http.post(url('/orders'), ({ request }) => {
      seen.push(request.headers)
      return HttpResponse.json({ id: 1 }, { status: 201 })
    }),
  )
  const queue = track(createQueue({ online: fakeOnline(), ...options }))
  await queue.fetch(url('/orders'), { method: 'POST', body: '{}', ...init })
  expect(seen).toHaveLength(1)
  return seen[0]!
}

describe('2.5 the key on the wire', () => {
  it('2.5 by default the key goes bare, as Idempotency-Key: 8e03…', async () => {
    const h = await headersOf({}, {})
    expect(h.get('idempotency-key')).toMatch(BARE)
  })

  it("2.5 idempotencyFormat 'sf-string' sends the draft's quoted form, the same bytes on every attempt", async () => {
    const seen: (string | null)[] = []
    http.use(
      http.post(url('/orders'), ({ request }) => {
        seen.push(request.headers.get('idempotency-key'))
        return seen.length === 1
          ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
          : HttpResponse.json({ id: 1 }, { status: 201 })
      }),
    )
    const queue = track(createQueue({ online: fakeOnline(), idempotencyFormat: 'sf-string' }))
    const res = await queue.fetch(url('/orders'), { method: 'POST', json: { item: 'x' } })
    expect(res.status).toBe(201)
    expect(seen).toHaveLength(2)
    expect(seen[0]).toMatch(QUOTED)
    expect(seen[1]).toBe(seen[0])
  })

  it("2.5 'sf-string' escapes a per-item key's quotes and backslashes", async () => {
    const h = await headersOf({ idempotencyFormat: 'sf-string' }, { idempotencyKey: 'a"b\\c' })
    expect(h.get('idempotency-key')).toBe('"a\\"b\\\\c"')
  })

  it("2.5 'sf-string' refuses a per-item key it cannot quote: the call rejects with a TypeError", async () => {
    const queue = track(createQueue({ online: fakeOnline(), idempotencyFormat: 'sf-string' }))
    const error = await queue
      .fetch(url('/orders'), { method: 'POST', idempotencyKey: 'clé' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(
      /invalid idempotencyKey "clé" \(printable ASCII only\)/,
    )
    expect(queue.getSnapshot().pending).toBe(0)
  })

  it('2.5 idempotencyHeader renames the header', async () => {
    const h = await headersOf({ idempotencyHeader: 'X-Request-Key' }, {})
    expect(h.get('x-request-key')).toMatch(BARE)
    expect(h.has('idempotency-key')).toBe(false)
  })

  it('2.5 both together: a renamed header with the quoted form', async () => {
    const h = await headersOf(
      { idempotencyHeader: 'X-Request-Key', idempotencyFormat: 'sf-string' },
      { idempotencyKey: 'order-42' },
    )
    expect(h.get('x-request-key')).toBe('"order-42"')
  })

  it('2.5 a key header the app set itself, under the renamed name, goes out as it was set', async () => {
    const h = await headersOf(
      { idempotencyHeader: 'X-Request-Key', idempotencyFormat: 'sf-string' },
      { headers: { 'X-Request-Key': 'mine' } },
    )
    expect(h.get('x-request-key')).toBe('mine')
  })
})

describe('2.5 idempotencyFormat and idempotencyHeader are validated like every option', () => {
  const bad: [QueueOptions, RegExp][] = [
    [
      { idempotencyFormat: 'quoted' as never },
      /^fetch-queue: option `idempotencyFormat` must be 'bare' or 'sf-string', got "quoted"$/,
    ],
    [
      { idempotencyHeader: 'Idempotency Key' },
      /^fetch-queue: option `idempotencyHeader` must be a header name \(an HTTP token\), got "Idempotency Key"$/,
    ],
    [{ idempotencyHeader: '' }, /option `idempotencyHeader` must be a header name.*, got ""$/],
    [
      { idempotencyHeader: 42 as never },
      /option `idempotencyHeader` must be a header name.*, got 42$/,
    ],
    [{ idempotencyHeader: 'X-Key:' }, /option `idempotencyHeader`/],
  ]
  it.each(bad)('2.5 %o throws a TypeError naming the option', (options, message) => {
    expect(() => createQueue({ online: fakeOnline(), ...options })).toThrow(TypeError)
    expect(() => createQueue({ online: fakeOnline(), ...options })).toThrow(message)
  })
})

describe('2.5 the wire form is stored with the item: a replay after a reload sends the same bytes', () => {
  it('2.5 a write stored under sf-string and a renamed header is replayed so by a page with other options', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    api.reply = (_, apply) => {
      // The first attempt is cut: the page reloads before it knows.
      if (api.received.length === 1) return HttpResponse.error()
      apply()
      return HttpResponse.json({ ok: true })
    }
    const first = openPage({
      storage,
      queue: { idempotencyFormat: 'sf-string', idempotencyHeader: 'X-Request-Key' },
    })
    void first.queue.fetch(url('/stops'), { method: 'POST', json: { a: 1 } }).catch(() => {})
    await until(() => first.of('retrying').length === 1, 'the first attempt to fail')
    first.queue.dispose()
    const [record] = [...storage.data.values()].map((v) => JSON.parse(v))
    expect(record).toMatchObject({
      v: RECORD_VERSION,
      keyHeader: 'x-request-key',
      keyFormat: 'sf-string',
    })
    // The key's header is kept once, in `keyHeader`, not among the stored headers too.
    expect(record.headers.map(([name]: [string]) => name)).toEqual(['content-type'])

    const second = openPage({ storage })
    await second.queue.ready
    await second.queue.whenIdle()
    const [before, after] = api.received
    expect(api.received).toHaveLength(2)
    expect(before!.headers['x-request-key']).toMatch(QUOTED)
    expect(after!.headers['x-request-key']).toBe(before!.headers['x-request-key'])
    expect(after!.headers['idempotency-key']).toBeUndefined()
    expect(api.applied).toHaveLength(1)
  })

  it('2.5 a write that went without a key (cross-origin) is replayed without one', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    api.reply = (_, apply) => {
      if (api.received.length === 1) return HttpResponse.error()
      apply()
      return HttpResponse.json({ ok: true })
    }
    const first = openPage({ storage, queue: { idempotency: false } })
    void first.queue.fetch(url('/stops'), { method: 'POST', body: 'x' }).catch(() => {})
    await until(() => first.of('retrying').length === 1, 'the first attempt to fail')
    first.queue.dispose()
    const second = openPage({ storage })
    await second.queue.whenIdle()
    expect(api.received.map((r) => r.key)).toEqual([null, null])
  })

  it('2.7 a record of format 2 is read: its key goes out as it was stored among its headers, bare', async () => {
    const storage = fakeStorage()
    const api = fakeApi()
    const v2 = {
      v: 2,
      id: 'old-1',
      seq: 1,
      kind: 'write',
      method: 'POST',
      url: url('/stops'),
      headers: [
        ['content-type', 'text/plain'],
        ['idempotency-key', 'k-2'],
      ],
      body: { t: 'text', v: 'x' },
      key: 'k-2',
      // Not a field of format 2: ignored, never trusted.
      keyFormat: 'sf-string',
      at: 1_700_000_000_000,
      attempts: 1,
    }
    storage.setItem(`${KEY}/old/old-1`, JSON.stringify(v2))
    const page = openPage({ storage, queue: { idempotencyFormat: 'sf-string' } })
    await page.queue.ready
    await page.queue.whenIdle()
    expect(page.of('spoolerror')).toEqual([])
    expect(api.received.map((r) => r.key)).toEqual(['k-2'])
  })
})
