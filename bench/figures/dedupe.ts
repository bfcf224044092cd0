import PQueue from 'p-queue'
import type { FigureResult } from '../lib/figure.ts'
import { goal, ratio, type Table, withSpread } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { CLOCK, measure, stopwatch, type Timed } from '../lib/run.ts'
import { summarize, tick } from '../lib/stats.ts'
import { BODY, URL_STOPS } from './overhead.ts'

const N = 100_000
const KEYS = 100
const keys = Array.from({ length: KEYS }, (_, i) => `stops:${i}`)
const never = () => new Promise<Response>(() => {})

/** fetch-queue, paused so that everything stays pending: only the enqueue is timed. */
function ours(lib: Library, dedupe: boolean): Timed {
  return {
    name: `fetch-queue ${dedupe}`,
    async run(n) {
      const queue = lib.createQueue({ transport: never })
      queue.pause()
      const stop = stopwatch()
      if (dedupe)
        for (let i = 0; i < n; i++)
          queue.fetch(URL_STOPS, { method: 'POST', body: BODY, dedupe: keys[i % KEYS]! })
      else for (let i = 0; i < n; i++) queue.fetch(URL_STOPS, { method: 'POST', body: BODY })
      await tick()
      const elapsed = stop()
      queue.dispose()
      return elapsed
    },
  }
}

/**
 * The cheapest dedupe a p-queue user would write: a Map from key to the newest pending task; an
 * older task with the same key is flagged and skips its request when its turn comes. (Its caller
 * gets `undefined`, not the newer task's response.)
 */
function pQueue(dedupe: boolean): Timed {
  return {
    name: `p-queue ${dedupe}`,
    async run(n) {
      const queue = new PQueue({ concurrency: 1, autoStart: false })
      const pending = new Map<string, { skip: boolean }>()
      const add = (key: string) => {
        const previous = pending.get(key)
        if (previous) previous.skip = true
        const task = { skip: false }
        pending.set(key, task)
        return queue.add(() => {
          if (pending.get(key) === task) pending.delete(key)
          return task.skip ? Promise.resolve(undefined) : never()
        })
      }
      const stop = stopwatch()
      if (dedupe) for (let i = 0; i < n; i++) add(keys[i % KEYS]!)
      else for (let i = 0; i < n; i++) queue.add(() => never())
      await tick()
      const elapsed = stop()
      queue.clear()
      return elapsed
    },
  }
}

/** Figure 4: the cost of dedupe. */
export async function dedupeFigure(lib: Library, runs: number): Promise<FigureResult> {
  const list = [ours(lib, false), ours(lib, true), pQueue(false), pQueue(true)]
  const raw = await measure(list, N, runs)
  const s = (name: string) => summarize(raw[CLOCK].get(name)!)
  const rows = [
    ['fetch-queue (`dedupe: key`)', s('fetch-queue false'), s('fetch-queue true')],
    ['p-queue 9.3.5 + Map of key → pending task', s('p-queue false'), s('p-queue true')],
  ] as const
  const r = (i: number) => rows[i]![2].median / rows[i]![1].median
  const table: Table = {
    title: '4. Dedupe: 100,000 enqueues over 100 keys',
    note: `${CLOCK === 'cpu' ? 'CPU' : 'Wall-clock'} µs per enqueue, median of ${runs} runs ± half their range; the queue is paused so every item stays pending. Goal: with dedupe within 1.5× of without.`,
    head: ['contender', 'without dedupe', 'with dedupe', 'ratio', 'goal'],
    rows: rows.map(([name, without, withDedupe], i) => [
      name,
      withSpread(without),
      withSpread(withDedupe),
      ratio(r(i)),
      i === 0 ? goal(r(0) <= 1.5) : '',
    ]),
    after:
      'With dedupe, fetch-queue keeps 100 items and settles the 99,900 replaced callers with the newest response; the p-queue emulation keeps all 100,000 tasks and skips the flagged ones when their turn comes.',
  }
  return {
    tables: [table],
    goals: [
      { name: 'Dedupe cost ratio', target: '≤ 1.5×', measured: ratio(r(0)), ok: r(0) <= 1.5 },
    ],
  }
}
