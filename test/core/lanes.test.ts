import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineSpool, isHttpError, memorySpool, type SpoolRecord } from '../../src/index.ts'
import { record } from '../spool/support/records.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('2.9 lanes: one ordered mailbox per resource', () => {
  it("2.9 without lane, items go to the default lane '' and keep the barrier of 2.2", async () => {
    const { queue, t } = setup()
    queue.fetch(url('/w1'), { method: 'POST' })
    queue.fetch(url('/r1'))
    await flush()
    expect(queue.getSnapshot().items.map((i) => i.lane)).toEqual(['', ''])
    expect(t.live.map((c) => c.label)).toEqual(['POST /w1'])
  })

  it('2.9 the barrier holds within a lane; a write in lane A runs while lane B reads and writes', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a/w1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/a/r1'), { lane: 'a' })
    queue.fetch(url('/b/w1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/b/w2'), { method: 'POST', lane: 'b' })
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /a/w1', 'POST /b/w1'])
    t.calls[1]!.respond()
    await flush()
    // Lane b moves on; lane a's read still waits for a's write.
    expect(t.live.map((c) => c.label)).toEqual(['POST /a/w1', 'POST /b/w2'])
    t.calls[0]!.respond()
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /b/w2', 'GET /a/r1'])
  })

  it('2.9 maxParallel caps requests in flight across lanes', async () => {
    const { queue, t } = setup({ maxParallel: 2 })
    for (const lane of ['a', 'b', 'c', 'd']) queue.fetch(url(`/${lane}`), { method: 'POST', lane })
    await flush()
    expect(t.live).toHaveLength(2)
    t.calls[0]!.respond()
    await flush()
    expect(t.live).toHaveLength(2)
    expect(t.maxLive).toBe(2)
  })

  it('2.9 when the cap binds, the lane whose next runnable item is oldest goes first; none starves', async () => {
    const { queue, t } = setup({ maxParallel: 1 })
    // Lane a is busy and keeps getting new writes; b and c each have one older write waiting.
    queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/c1'), { method: 'POST', lane: 'c' })
    queue.fetch(url('/a3'), { method: 'POST', lane: 'a' })
    for (let i = 0; i < 5; i++) {
      await flush()
      t.live[0]?.respond()
    }
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual([
      'POST /a1',
      'POST /b1',
      'POST /a2',
      'POST /c1',
      'POST /a3',
    ])
  })

  it('2.9 a lane that waits for the cap waits once: new items in it do not move it ahead of older lanes', async () => {
    const { queue, t } = setup({ maxParallel: 1 })
    queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/c1'), { method: 'POST', lane: 'c' })
    queue.fetch(url('/b2'), { method: 'POST', lane: 'b' })
    for (let i = 0; i < 4; i++) {
      await flush()
      t.live[0]?.respond()
    }
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /a1', 'POST /b1', 'POST /c1', 'POST /b2'])
  })

  it('2.9 many lanes waiting for the cap get the free slots oldest first', async () => {
    const { queue, t } = setup({ maxParallel: 1 })
    const lanes = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
    for (const lane of lanes) queue.fetch(url(`/${lane}`), { method: 'POST', lane })
    for (let i = 0; i < lanes.length; i++) {
      await flush()
      t.live[0]?.respond()
    }
    await flush()
    expect(t.calls.map((c) => c.label)).toEqual(lanes.map((l) => `POST /${l}`))
  })

  it('2.9 a lane whose older item becomes runnable late still goes before the younger lanes waiting', async () => {
    const { queue, t } = setup({ maxParallel: 1 })
    // a2 and b2 wait behind their lane's first write; the ten lanes c..l wait for the cap.
    queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/b2'), { method: 'POST', lane: 'b' })
    const late = ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']
    for (const lane of late) queue.fetch(url(`/${lane}1`), { method: 'POST', lane })
    for (let i = 0; i < 14; i++) {
      await flush()
      t.live[0]?.respond()
    }
    await flush()
    expect(t.calls.map((c) => c.url.slice(-2))).toEqual([
      'a1',
      'b1',
      'a2',
      'b2',
      ...late.map((l) => `${l}1`),
    ])
  })

  it('2.9 resume() hands the free slots out as a completion does: to the lanes that waited for the cap', async () => {
    const { queue, t } = setup({ maxParallel: 1 })
    queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/c1'), { method: 'POST', lane: 'c' })
    queue.fetch(url('/d1'), { method: 'POST', lane: 'd' })
    await flush()
    queue.pause()
    t.live[0]!.respond()
    await flush()
    expect(t.calls).toHaveLength(1)
    queue.resume()
    for (let i = 0; i < 3; i++) {
      await flush()
      t.live[0]?.respond()
    }
    await flush()
    // c waited for the cap while a2 was not yet runnable; then the oldest item goes first.
    expect(t.calls.map((c) => c.label)).toEqual(['POST /a1', 'POST /c1', 'POST /a2', 'POST /d1'])
  })

  it('2.9 dedupe keys are scoped to their lane', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block-a'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/block-b'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/doc'), { method: 'PUT', body: 'a1', dedupe: 'doc', lane: 'a' })
    queue.fetch(url('/doc'), { method: 'PUT', body: 'b1', dedupe: 'doc', lane: 'b' })
    queue.fetch(url('/doc'), { method: 'PUT', body: 'a2', dedupe: 'doc', lane: 'a' })
    expect(queue.getSnapshot().items.map((i) => `${i.lane}:${i.url.slice(-4)}`)).toEqual([
      'a:ck-a',
      'b:ck-b',
      'b:/doc',
      'a:/doc',
    ])
    await flush()
    t.calls[0]!.respond()
    t.calls[1]!.respond()
    await flush()
    expect(t.live.map((c) => c.body).sort()).toEqual(['a2', 'b1'])
  })

  it("2.9 onFailure 'pause' parks only the failed item's lane", async () => {
    const { queue, t } = setup({ onFailure: 'pause' })
    const failed = settle(queue.fetch(url('/a1'), { method: 'POST', lane: 'a' }))
    queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/b2'), { method: 'POST', lane: 'b' })
    await flush()
    t.calls[0]!.respond(400)
    t.calls[1]!.respond(200)
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /b2'])
    const parked = queue.getSnapshot().items.find((i) => i.state === 'failed')!
    expect(parked.lane).toBe('a')
    queue.discard(parked.id)
    await flush()
    expect(isHttpError(failed.reason)).toBe(true)
    expect(t.live.map((c) => c.label)).toEqual(['POST /b2', 'POST /a2'])
  })

  it('2.9 pause(lane) and resume(lane) work on one lane; pause() on the whole queue', async () => {
    const { queue, t } = setup()
    queue.pause('a')
    queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /b1'])
    expect(queue.getSnapshot().paused).toBe(false)
    queue.resume('a')
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /b1', 'POST /a1'])
    queue.pause()
    queue.fetch(url('/c1'), { method: 'POST', lane: 'c' })
    await flush()
    expect(t.calls).toHaveLength(2)
    expect(queue.getSnapshot()).toMatchObject({ paused: true, status: 'paused' })
    queue.resume()
    await flush()
    expect(t.calls).toHaveLength(3)
  })

  it('2.9 a paused lane stays paused when its last item leaves: the next item in it waits too', async () => {
    const { queue, t } = setup()
    queue.pause('a')
    const first = settle(queue.fetch(url('/a1'), { method: 'POST', lane: 'a' }))
    expect(queue.discard(queue.getSnapshot().items[0]!.id)).toBe(true)
    await flush()
    expect(first.status).toBe('rejected')
    queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    await flush()
    expect(t.calls).toHaveLength(0)
    queue.resume('a')
    await flush()
    expect(t.live.map((c) => c.label)).toEqual(['POST /a2'])
  })

  it('2.9 the snapshot lists every lane in enqueue order, each item with its lane', () => {
    const { queue } = setup({ maxParallel: 1 })
    queue.fetch(url('/1'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/2'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/3'), { method: 'POST', lane: 'b' })
    queue.fetch(url('/4'), { method: 'POST' })
    expect(queue.getSnapshot().items.map((i) => [i.lane, i.url.slice(-2)])).toEqual([
      ['b', '/1'],
      ['a', '/2'],
      ['b', '/3'],
      ['', '/4'],
    ])
  })

  it('2.9 retry(id), discard(id) and the timeout reach items on the wire in any lane', async () => {
    // Backoffs drawn near their top: a draw under 500 ms would send b again before the checks.
    vi.spyOn(Math, 'random').mockReturnValue(0.99)
    const { queue, t, clock } = setup({ timeout: 1000, retry: { baseDelay: 60_000 } })
    queue.fetch(url('/a'), { method: 'POST', lane: 'a' })
    queue.fetch(url('/b'), { method: 'POST', lane: 'b', timeout: 500 })
    queue.fetch(url('/c'), { method: 'POST', lane: 'c' })
    await flush()
    expect(t.live).toHaveLength(3)
    await clock.advance(500)
    expect(t.calls[1]!.signal.aborted).toBe(true)
    await clock.advance(500)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(t.calls[2]!.signal.aborted).toBe(true)
    // Every lane is now backing off; retry c now, by id.
    await flush()
    const c = queue.getSnapshot().items.find((i) => i.lane === 'c')!
    queue.retry(c.id)
    await flush()
    expect(t.live.map((x) => x.label)).toEqual(['POST /c'])
    expect(queue.discard(queue.getSnapshot().items.find((i) => i.lane === 'a')!.id)).toBe(true)
    expect(queue.getSnapshot().items.map((i) => i.lane)).toEqual(['b', 'c'])
  })

  it('2.9 a lane that is not a string is refused at the call', async () => {
    const { queue } = setup()
    await expect(queue.fetch(url('/a'), { lane: 5 as never })).rejects.toThrow(TypeError)
  })
})

describe('2.9 lanes in the spool', () => {
  it('2.9 the spool stores the lane, and restoring keeps each lane in its order', async () => {
    const spool = memorySpool()
    const first = setup({ spool, online: { isOnline: () => true, subscribe: () => () => {} } })
    await first.queue.ready
    first.queue.pause()
    first.queue.fetch(url('/a1'), { method: 'POST', lane: 'a' })
    first.queue.fetch(url('/b1'), { method: 'POST', lane: 'b' })
    first.queue.fetch(url('/a2'), { method: 'POST', lane: 'a' })
    first.queue.fetch(url('/d1'), { method: 'POST' })
    await flush()
    first.queue.dispose()
    expect(spool.size).toBe(4)

    const second = setup({ spool })
    second.queue.pause()
    // New writes during the restore go after the restored ones of their lane.
    second.queue.fetch(url('/a3'), { method: 'POST', lane: 'a' })
    await second.queue.ready
    expect(second.queue.getSnapshot().items.map((i) => [i.lane, i.url.slice(-3)])).toEqual([
      ['a', '/a1'],
      ['b', '/b1'],
      ['a', '/a2'],
      ['', '/d1'],
      ['a', '/a3'],
    ])
    second.queue.resume()
    for (let i = 0; i < 5; i++) {
      await flush()
      for (const c of second.t.live) c.respond()
    }
    await second.queue.whenIdle()
    const inLane = (lane: string) =>
      second.t.calls.map((c) => c.label).filter((l) => l.startsWith(`POST /${lane}`))
    expect(inLane('a')).toEqual(['POST /a1', 'POST /a2', 'POST /a3'])
    expect(inLane('b')).toEqual(['POST /b1'])
  })

  it('2.9 a record of format 1 (before lanes) restores into the default lane', async () => {
    const old: SpoolRecord = { ...record({ url: 'https://api.test/old' }), v: 1 as never }
    const spool = defineSpool({
      name: 'old',
      load: () => ({ records: [old] }),
      put() {},
      delete() {},
      clear() {},
    })
    const { queue, t } = setup({ spool })
    await queue.ready
    expect(queue.getSnapshot().items[0]!.lane).toBe('')
    await flush()
    t.calls[0]!.respond()
    await queue.whenIdle()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /old'])
  })
})
