import type { FigureResult, Goal } from '../lib/figure.ts'
import { goal, num, ratio, type Table, withSpread } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { CLOCK, measure, stopwatch, type Timed } from '../lib/run.ts'
import { summarize } from '../lib/stats.ts'
import { BODY, transport, URL_STOPS } from './overhead.ts'

const N = 100_000
const LANES = 1_000

/**
 * fetch-queue sending `n` writes, item i in lane i mod `lanes` (`''`, the default lane, when
 * `lanes` is 1), each with the init literal an app writes: `{ method, body, lane }`.
 */
const laneRun = (lib: Library, lanes: number) => async (n: number) => {
  const queue = lib.createQueue({ transport })
  const names = Array.from({ length: lanes }, (_, i) => (lanes === 1 ? '' : `lane:${i}`))
  const all = new Array<Promise<Response>>(n)
  const stop = stopwatch()
  for (let i = 0; i < n; i++)
    all[i] = queue.fetch(URL_STOPS, { method: 'POST', body: BODY, lane: names[i % lanes] })
  await Promise.all(all)
  const elapsed = stop()
  queue.dispose()
  return elapsed
}

/**
 * Figure 2b: the cost of lanes (DESIGN §2.9, §3). The same 100,000 writes in one lane, and spread
 * round-robin over 1,000 lanes of 100 items each. Goal: per item within 1.3× of one lane.
 */
export async function lanesFigure(lib: Library, runs: number): Promise<FigureResult> {
  const contenders: Timed[] = [
    { name: 'one lane', run: laneRun(lib, 1) },
    { name: `${LANES} lanes`, run: laneRun(lib, LANES) },
  ]
  await measure(contenders, 10_000, 1, 50_000)
  const raw = await measure(contenders, N, runs)
  const one = summarize(raw[CLOCK].get('one lane')!)
  const many = summarize(raw[CLOCK].get(`${LANES} lanes`)!)
  const r = many.median / one.median
  const table: Table = {
    title: `2b. Lanes: ${N.toLocaleString('en-US')} writes in one lane, and in ${LANES.toLocaleString('en-US')} lanes of ${N / LANES} items`,
    note: `${CLOCK === 'cpu' ? 'CPU' : 'Wall-clock'} µs per item, median of ${runs} runs ± half their range. Goal: ${LANES.toLocaleString('en-US')} lanes within 1.3× of one lane.`,
    head: ['queue', 'µs/item', '÷ one lane', 'goal'],
    rows: [
      ['one lane', withSpread(one), ratio(1), ''],
      [`${LANES.toLocaleString('en-US')} lanes`, withSpread(many), ratio(r), goal(r <= 1.3)],
    ],
    after:
      "Every write is enqueued at once and the transport answers at once, as in figure 1, with the same init literal `{ method, body, lane }` in both rows (`lane: ''` is the default lane); with lanes, item i goes to lane i mod 1,000, so 1,000 lanes hold work at the same time and `maxParallel` (6) binds: the scheduler picks the lane whose next item is oldest from a heap.",
  }
  const g: Goal = {
    name: `Scaling: ${LANES.toLocaleString('en-US')} lanes × ${N / LANES} ÷ one lane × ${N.toLocaleString('en-US')}`,
    target: '≤ 1.3×',
    measured: `${num(many.median)} µs vs ${num(one.median)} µs (${ratio(r)})`,
    ok: r <= 1.3,
  }
  return { tables: [table], goals: [g] }
}
