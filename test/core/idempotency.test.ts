import { describe, expect, it, vi } from 'vitest'
import { createQueue } from '../../src/index.ts'
import { HttpResponse, http } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { setup, track, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const key = (h: Headers) => h.get('idempotency-key')

describe('2.5 idempotency', () => {
  it('2.5 every write gets its own key when it is enqueued', async () => {
    const { queue, t } = setup()
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) queue.fetch(url('/w'), { method })
    for (let i = 0; i < 4; i++) {
      await flush()
      t.calls[i]!.respond()
    }
    const keys = t.calls.map((c) => key(c.request.headers))
    for (const k of keys) expect(k).toMatch(UUID)
    expect(new Set(keys).size).toBe(4)
  })

  it('2.5 keys stay unique across pages: each page draws its own random part', async () => {
    const keysOfOnePage = async () => {
      vi.resetModules()
      const { createQueue: fresh } = await import('../../src/queue.ts')
      const keys: string[] = []
      const q = fresh({
        online: fakeOnline(),
        transport: async (r) => {
          keys.push(key(r.headers)!)
          return new Response(null)
        },
      })
      for (let i = 0; i < 50; i++) q.fetch(url('/w'), { method: 'POST' })
      await q.whenIdle()
      q.dispose()
      return keys
    }
    const [a, b] = [await keysOfOnePage(), await keysOfOnePage()]
    for (const k of [...a, ...b]) expect(k).toMatch(UUID)
    expect(new Set([...a, ...b]).size).toBe(100)
  })

  it('2.5 reads get no key unless one is given', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/r'))
    queue.fetch(url('/r2'), { idempotencyKey: 'read-key' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBeNull()
    expect(key(t.calls[1]!.request.headers)).toBe('read-key')
  })

  it('2.5 the same key is sent on every attempt, retries included', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const p = queue.fetch(url('/w'), { method: 'POST', body: 'x' })
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(503)
    await clock.next()
    t.calls[2]!.respond(201)
    await p
    const keys = t.calls.map((c) => key(c.request.headers))
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(UUID)
  })

  it('2.5 a per-item idempotencyKey is used as given', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/w'), { method: 'POST', idempotencyKey: 'order-42' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBe('order-42')
  })

  it('2.5 an Idempotency-Key header the app set is kept', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/w'), { method: 'POST', headers: { 'Idempotency-Key': 'mine' } })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBe('mine')
  })

  it("2.5 without `location` (Node, SSR) every URL counts as same-origin under 'same-origin'", async () => {
    expect(typeof (globalThis as { location?: unknown }).location).toBe('undefined')
    const { queue, t } = setup()
    queue.fetch('https://elsewhere.example/w', { method: 'POST' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toMatch(UUID)
  })

  it("2.5 idempotency: 'always' sends the key", async () => {
    const { queue, t } = setup({ idempotency: 'always' })
    queue.fetch('https://elsewhere.example/w', { method: 'POST' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toMatch(UUID)
  })

  it('2.5 idempotency: false sends no generated key, but a given one is still sent', async () => {
    const { queue, t } = setup({ idempotency: false })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond()
    queue.fetch(url('/b'), { method: 'POST', idempotencyKey: 'explicit' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBeNull()
    expect(key(t.calls[1]!.request.headers)).toBe('explicit')
  })

  it('2.5 the key does not leak into the app’s headers object', async () => {
    const { queue, t } = setup()
    const headers = new Headers({ 'x-app': '1' })
    queue.fetch(url('/a'), { method: 'POST', headers })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toMatch(UUID)
    expect(key(headers)).toBeNull()
  })

  it('2.5 (msw) the server sees one key for a POST retried after a 503', async () => {
    const seen: (string | null)[] = []
    http.use(
      http.post(url('/orders'), ({ request }) => {
        seen.push(request.headers.get('idempotency-key'))
        return seen.length === 1
          ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
          : HttpResponse.json({ id: 1 }, { status: 201 })
      }),
    )
    const queue = track(createQueue({ online: fakeOnline() }))
    const res = await queue.fetch(url('/orders'), { method: 'POST', json: { item: 'x' } })
    expect(res.status).toBe(201)
    expect(seen).toHaveLength(2)
    expect(seen[0]).toMatch(UUID)
    expect(seen[1]).toBe(seen[0])
  })
})
