import { describe, expect, it } from 'vitest'
import type { TransferProgress } from '../../src/types.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

type Seen = { id: string; direction: string; loaded: number; total: number | undefined; at: number }

async function sending() {
  const h = setup({ timeout: false })
  const seen: Seen[] = []
  h.queue.on('progress', (e) =>
    seen.push({
      id: e.item.id,
      direction: e.direction,
      loaded: e.loaded,
      total: e.total,
      at: h.clock.now(),
    }),
  )
  h.queue.fetch(url('/upload'), { method: 'POST', body: 'x' })
  await flush()
  const call = h.t.calls[0]!
  const report = (p: TransferProgress) => call.context.progress!(p)
  return { ...h, seen, call, report, t0: h.clock.now() }
}

const up = (loaded: number, total: number | undefined = 1000): TransferProgress => ({
  direction: 'upload',
  loaded,
  total,
})

describe('progress events', () => {
  it('the first report is raised at once, with the item', async () => {
    const { seen, report, queue } = await sending()
    report(up(10))
    expect(seen).toMatchObject([{ direction: 'upload', loaded: 10, total: 1000 }])
    expect(seen[0]!.id).toBe(queue.getSnapshot().items[0]!.id)
  })

  it('at most one per 100 ms per item and direction: a sooner report is dropped, the next one after 100 ms goes out', async () => {
    const { seen, report, clock, t0 } = await sending()
    report(up(10))
    await clock.advance(30)
    report(up(20))
    await clock.advance(69)
    report(up(30))
    expect(seen.map((s) => s.loaded)).toEqual([10])
    await clock.advance(1)
    report(up(40))
    await clock.advance(500)
    expect(seen.map((s) => [s.loaded, s.at - t0])).toEqual([
      [10, 0],
      [40, 100],
    ])
  })

  it('the final report (loaded = total) is raised at once, and only once', async () => {
    const { seen, report, clock } = await sending()
    report(up(10))
    await clock.advance(5)
    report(up(500))
    report(up(1000))
    expect(seen.map((s) => s.loaded)).toEqual([10, 1000])
    report(up(1000))
    await clock.advance(500)
    expect(seen.map((s) => s.loaded)).toEqual([10, 1000])
  })

  it('upload and download are throttled apart', async () => {
    const { seen, report } = await sending()
    report(up(1000))
    report({ direction: 'download', loaded: 5, total: undefined })
    report({ direction: 'download', loaded: 6, total: undefined })
    expect(seen.map((s) => [s.direction, s.loaded])).toEqual([
      ['upload', 1000],
      ['download', 5],
    ])
  })

  it('progress is never a snapshot change', async () => {
    const { report, queue, clock, seen } = await sending()
    const before = queue.getSnapshot()
    let notified = 0
    queue.subscribe(() => notified++)
    report(up(10))
    await clock.advance(150)
    report(up(20))
    await clock.advance(100)
    expect(seen).toHaveLength(2)
    expect(notified).toBe(0)
    expect(queue.getSnapshot()).toBe(before)
  })

  it('a report after the attempt has ended raises nothing', async () => {
    const { seen, report, call, clock } = await sending()
    report(up(10))
    call.respond()
    await clock.advance(200)
    report(up(30))
    expect(seen.map((s) => s.loaded)).toEqual([10])
  })

  it('reports made while nobody listens are not counted: a listener added mid-transfer hears the next one at once', async () => {
    const h = setup({ timeout: false })
    h.queue.fetch(url('/upload'), { method: 'POST' })
    await flush()
    const report = (p: TransferProgress) => h.t.calls[0]!.context.progress!(p)
    report(up(1))
    await h.clock.advance(10)
    const seen: number[] = []
    h.queue.on('progress', (e) => seen.push(e.loaded))
    report(up(2))
    expect(seen).toEqual([2])
  })

  it.each([
    ['no direction', { loaded: 1, total: 2 }],
    ['a bad direction', { direction: 'sideways', loaded: 1, total: 2 }],
    ['a negative loaded', { direction: 'upload', loaded: -1, total: 2 }],
    ['a NaN loaded', { direction: 'upload', loaded: Number.NaN, total: 2 }],
    ['nothing', undefined],
  ])('a report with %s is a TypeError at the transport call', async (_, bad) => {
    const { report, seen } = await sending()
    expect(() => report(bad as never)).toThrow(TypeError)
    expect(seen).toEqual([])
  })
})
