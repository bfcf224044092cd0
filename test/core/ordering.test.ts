import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/index.ts'
import { HttpResponse, http } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { setup, track, url } from '../support/queue.ts'
import { flush, until } from '../support/tick.ts'

const gate = () => {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  return { open, opened }
}

describe('2.2 ordering', () => {
  it('2.2 a write starts only after every item enqueued before it has settled, reads included', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'))
    queue.fetch(url('/b'))
    queue.fetch(url('/w'), { method: 'POST' })
    await flush()
    expect(t.labels()).toEqual(['GET /a', 'GET /b'])
    t.calls[1]!.respond()
    await flush()
    expect(t.labels()).toEqual(['GET /a', 'GET /b'])
    t.calls[0]!.respond(404)
    await flush()
    expect(t.labels()).toEqual(['GET /a', 'GET /b', 'POST /w'])
    expect(t.calls[2]!.overlapping).toEqual([])
  })

  it('2.2 a read starts only after every write enqueued before it has settled', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/w1'), { method: 'PUT' })
    queue.fetch(url('/w2'), { method: 'DELETE' })
    queue.fetch(url('/r'))
    await flush()
    expect(t.labels()).toEqual(['PUT /w1'])
    t.calls[0]!.respond()
    await flush()
    expect(t.labels()).toEqual(['PUT /w1', 'DELETE /w2'])
    t.calls[1]!.respond(204)
    await flush()
    expect(t.labels()).toEqual(['PUT /w1', 'DELETE /w2', 'GET /r'])
  })

  it('2.2 writes go out one at a time in enqueue order, even when one fails', async () => {
    const { queue, t } = setup()
    const results = ['/1', '/2', '/3'].map((p) =>
      queue.fetch(url(p), { method: 'POST' }).then(
        (r) => r.status,
        (e: Error) => e.name,
      ),
    )
    for (let i = 0; i < 3; i++) {
      await flush()
      expect(t.calls).toHaveLength(i + 1)
      expect(t.live).toHaveLength(1)
      t.calls[i]!.respond(i === 1 ? 422 : 201)
    }
    expect(await Promise.all(results)).toEqual([201, 'HttpError', 201])
    expect(t.labels()).toEqual(['POST /1', 'POST /2', 'POST /3'])
    expect(t.overlaps).toEqual([])
  })

  it('2.2 reads with no write between them run in parallel', async () => {
    const { queue, t } = setup()
    for (const p of ['/a', '/b', '/c']) queue.fetch(url(p))
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['GET /a', 'GET /b', 'GET /c'])
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['sending', 'sending', 'sending'])
  })

  it('2.2 reads in parallel are capped by maxParallelReads', async () => {
    const { queue, t } = setup({ maxParallelReads: 2 })
    for (let i = 0; i < 5; i++) queue.fetch(url(`/r${i}`))
    await flush()
    expect(t.calls).toHaveLength(2)
    t.calls[1]!.respond()
    await flush()
    expect(t.labels()).toEqual(['GET /r0', 'GET /r1', 'GET /r2'])
    while (t.live.length) {
      t.live[0]!.respond()
      await flush()
    }
    expect(t.calls).toHaveLength(5)
    expect(t.maxLive).toBe(2)
    await queue.whenIdle()
  })

  it('2.2 maxParallelReads defaults to 6', async () => {
    const { queue, t } = setup()
    for (let i = 0; i < 8; i++) queue.fetch(url(`/r${i}`))
    await flush()
    expect(t.calls).toHaveLength(6)
  })

  it('2.2 a read never overlaps a write, whichever came first', async () => {
    const { queue, t } = setup({ maxParallelReads: 3 })
    const plan = ['R', 'R', 'W', 'R', 'R', 'R', 'R', 'W', 'W', 'R', 'W']
    const all = plan.map((k, i) =>
      queue.fetch(url(`/${k}${i}`), { method: k === 'W' ? 'POST' : 'GET' }).catch(() => {}),
    )
    for (let n = 0; n < 100 && t.live.length; n++) {
      // Settle the newest call first to shake out any order the queue might rely on.
      t.live.at(-1)!.respond()
      await flush()
    }
    await Promise.all(all)
    expect(t.calls).toHaveLength(plan.length)
    expect(t.labels().map((l) => l.split('/')[1])).toEqual(plan.map((k, i) => `${k}${i}`))
    for (const [a, b] of t.overlaps) {
      expect([a.method, b.method]).toEqual(['GET', 'GET'])
    }
    expect(t.overlaps.length).toBeGreaterThan(0)
    await queue.whenIdle()
  })

  it('2.2 a read waits behind a write that is backing off, and goes after it', async () => {
    const { queue, t, clock } = setup()
    const w = queue.fetch(url('/w'), { method: 'POST' })
    const r = queue.fetch(url('/r'))
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'queued'])
    await clock.next()
    expect(t.labels()).toEqual(['POST /w', 'POST /w'])
    t.calls[1]!.respond()
    await flush()
    expect(t.labels()).toEqual(['POST /w', 'POST /w', 'GET /r'])
    t.calls[2]!.respond()
    expect((await w).status).toBe(200)
    expect((await r).status).toBe(200)
  })
})

describe('2.2 ordering over HTTP (msw)', () => {
  it('2.2 (msw) a stats read made after a save sees the saved data, although the save is slow', async () => {
    const stops: string[] = []
    const slow = gate()
    http.use(
      http.post(url('/stops'), async ({ request }) => {
        const body = (await request.json()) as { stop: string }
        await slow.opened
        stops.push(body.stop)
        return HttpResponse.json({ ok: true }, { status: 201 })
      }),
      http.get(url('/stats'), () => HttpResponse.json({ count: stops.length })),
    )
    const queue = track(createQueue({ online: fakeOnline() }))
    const save = queue.fetch(url('/stops'), { method: 'POST', json: { stop: 'A' } })
    const stats = queue.fetch(url('/stats')).then((r) => r.json())
    await flush(5)
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['sending', 'queued'])
    slow.open()
    expect((await save).status).toBe(201)
    expect(await stats).toEqual({ count: 1 })
  })

  it('2.2 (msw) reads between writes reach the server together; writes alone', async () => {
    let inFlight = 0
    const seen: [string, number][] = []
    const bothReads = gate()
    const serve = async (label: string) => {
      inFlight++
      seen.push([label, inFlight])
      // Hold the reads until both are on the server, so the overlap is certain, not lucky.
      if (label === 'GET 2') bothReads.open()
      if (label.startsWith('GET')) await bothReads.opened
      inFlight--
      return HttpResponse.text(label)
    }
    http.use(
      http.get(url('/r/:id'), ({ params }) => serve(`GET ${params.id}`)),
      http.put(url('/w/:id'), ({ params }) => serve(`PUT ${params.id}`)),
    )
    const queue = track(createQueue({ online: fakeOnline() }))
    const texts = [
      queue.fetch(url('/w/1'), { method: 'PUT' }),
      queue.fetch(url('/r/1')),
      queue.fetch(url('/r/2')),
      queue.fetch(url('/w/2'), { method: 'PUT' }),
    ].map((p) => p.then((r) => r.text()))
    expect(await Promise.all(texts)).toEqual(['PUT 1', 'GET 1', 'GET 2', 'PUT 2'])
    expect(seen.filter(([l]) => l.startsWith('PUT')).map(([, n]) => n)).toEqual([1, 1])
    expect(Math.max(...seen.filter(([l]) => l.startsWith('GET')).map(([, n]) => n))).toBe(2)
  })

  it('2.2 (msw) maxParallelReads holds against a real fetch', async () => {
    let inFlight = 0
    let max = 0
    const waiting: (() => void)[] = []
    http.use(
      http.get(url('/r/:id'), async () => {
        inFlight++
        max = Math.max(max, inFlight)
        await new Promise<void>((r) => waiting.push(r))
        inFlight--
        return HttpResponse.text('ok')
      }),
    )
    const queue = track(createQueue({ online: fakeOnline(), maxParallelReads: 3 }))
    const all = Array.from({ length: 7 }, (_, i) => queue.fetch(url(`/r/${i}`)))
    let released = 0
    while (released < 7) {
      await until(() => waiting.length > 0, 'a request on the server')
      expect(inFlight).toBeLessThanOrEqual(3)
      waiting.shift()!()
      released++
    }
    await Promise.all(all)
    expect(max).toBe(3)
  })
})
