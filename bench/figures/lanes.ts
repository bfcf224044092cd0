import type { FigureResult, Goal } from '../lib/figure.ts'
import { goal, num, ratio, type Table, withSpread } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { CLOCK, measure, type Timed } from '../lib/run.ts'
import { summarize } from '../lib/stats.ts'
import { queueRun, SHAPES } from './overhead.ts'

const N = 100_000
const LANES = 1_000

/**
 * Figure 2b: the cost of lanes (DESIGN §2.9, §3). The same 100,000 writes in one lane, and spread
 * round-robin over 1,000 lanes of 100 items each. Goal: per item within 1.3× of one lane.
 */
export async function lanesFigure(lib: Library, runs: number): Promise<FigureResult> {
  const body = SHAPES['fetch-queue']
  const contenders: Timed[] = [
    { name: 'one lane', run: queueRun(lib, body) },
    { name: `${LANES} lanes`, run: queueRun(lib, body, LANES) },
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
      'Every write is enqueued at once and the transport answers at once, as in figure 1; with lanes, item i goes to lane i mod 1,000, so 1,000 lanes hold work at the same time and `maxParallel` (6) binds: the scheduler picks the lane whose next item is oldest from a heap.',
  }
  const g: Goal = {
    name: `Scaling: ${LANES.toLocaleString('en-US')} lanes × ${N / LANES} ÷ one lane × ${N.toLocaleString('en-US')}`,
    target: '≤ 1.3×',
    measured: `${num(many.median)} µs vs ${num(one.median)} µs (${ratio(r)})`,
    ok: r <= 1.3,
  }
  return { tables: [table], goals: [g] }
}
