import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/index.ts'
import { testTransport } from '../../src/testing/index.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { flush } from '../support/tick.ts'

/**
 * The queue's controls in any order: enqueues with and without dedupe in two lanes, answers of
 * every kind, pause and resume, discard and retry by id, clear, aborts, going offline and time
 * passing. After every step the rules below must hold, and at the end every promise settles.
 */

const LANES = ['', 'a'] as const
type Answer = 'ok' | '503' | '404' | 'net' | 'hang'
type Op =
  | {
      op: 'enqueue'
      kind: 'read' | 'write'
      lane: (typeof LANES)[number]
      dedupe: 'k' | true | undefined
      abortable: boolean
    }
  | { op: 'answer'; pick: number; how: Answer }
  | { op: 'pause' | 'resume'; lane: (typeof LANES)[number] | undefined }
  | { op: 'discard' | 'retry'; pick: number }
  | { op: 'retryAll' | 'clear' }
  | { op: 'abort'; pick: number }
  | { op: 'online'; on: boolean }
  | { op: 'advance'; ms: number }

const lane = fc.constantFrom(...LANES)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('enqueue' as const),
      kind: fc.constantFrom('read' as const, 'write' as const),
      lane,
      dedupe: fc.constantFrom('k' as const, true as const, undefined),
      abortable: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('answer' as const),
      pick: fc.nat(5),
      how: fc.constantFrom<Answer>('ok', 'ok', '503', '404', 'net', 'hang'),
    }),
  },
  fc.record({
    op: fc.constantFrom('pause' as const, 'resume' as const),
    lane: fc.option(lane, { nil: undefined }),
  }),
  fc.record({ op: fc.constantFrom('discard' as const, 'retry' as const), pick: fc.nat(5) }),
  fc.record({ op: fc.constantFrom('retryAll' as const, 'clear' as const) }),
  fc.record({ op: fc.constant('abort' as const), pick: fc.nat(5) }),
  fc.record({ op: fc.constant('online' as const), on: fc.boolean() }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
)

interface Setting {
  onFailure: 'continue' | 'pause'
  maxParallel: number
  maxParallelReads: number
}

async function run(
  ops: Op[],
  { onFailure, maxParallel, maxParallelReads }: Setting,
): Promise<string[]> {
  const clock = fakeClock()
  const online = fakeOnline()
  const t = testTransport()
  const queue = createQueue({
    transport: t.transport,
    clock,
    online,
    onFailure,
    maxParallel,
    maxParallelReads,
    // A call that hangs ends by this timeout, a network failure.
    timeout: 2_000,
    retry: { limit: 2, networkLimit: 2, baseDelay: 100, maxDelay: 1_000 },
  })
  const broken: string[] = []
  const say = (rule: string) => broken.includes(rule) || broken.push(rule)
  const settled: boolean[] = []
  const aborts: AbortController[] = []
  const pending = () => settled.flatMap((s, i) => (s ? [] : [i]))

  for (const step of ops) {
    switch (step.op) {
      case 'enqueue': {
        const i = settled.length
        settled.push(false)
        const ctrl = new AbortController()
        if (step.abortable) aborts.push(ctrl)
        queue
          .fetch(`https://api.test/${step.lane || 'main'}/${i}`, {
            method: step.kind === 'write' ? 'PUT' : 'GET',
            lane: step.lane,
            dedupe: step.dedupe,
            meta: i,
            signal: ctrl.signal,
          })
          .then(
            () => (settled[i] = true),
            () => (settled[i] = true),
          )
        // Idle means every item enqueued so far has settled. A rejection reaches its caller a few
        // microtasks after the idle signal: let those run, then look.
        const before = settled.length
        queue.whenIdle().then(
          async () => {
            for (let n = 0; n < 5; n++) await Promise.resolve()
            const open = settled.slice(0, before).indexOf(false)
            if (open >= 0) say(`whenIdle() resolved while #${open} was pending`)
          },
          () => {},
        )
        break
      }
      case 'answer': {
        const call = t.open()[step.pick]
        if (!call) break
        if (step.how === 'ok') call.answer()
        else if (step.how === 'net') call.drop()
        else if (step.how === 'hang') call.hang()
        else call.fail(Number(step.how))
        break
      }
      case 'pause':
        queue.pause(step.lane)
        break
      case 'resume':
        queue.resume(step.lane)
        break
      case 'discard':
      case 'retry': {
        const item = queue.getSnapshot().items[step.pick]
        if (!item) break
        if (step.op === 'retry') queue.retry(item.id)
        else if (!queue.discard(item.id)) say(`discard(id) did not find listed item #${item.meta}`)
        break
      }
      case 'retryAll':
        queue.retry()
        break
      case 'clear':
        await queue.clear()
        break
      case 'abort':
        aborts[step.pick]?.abort()
        break
      case 'online':
        online.setOnline(step.on)
        break
      case 'advance':
        await clock.advance(step.ms)
        break
    }
    await flush()

    for (const [a, b] of t.writeOverlaps) {
      const same = new URL(a.url).pathname.split('/')[1] === new URL(b.url).pathname.split('/')[1]
      if (same) say(`a write overlapped in one lane: ${a.label} and ${b.label}`)
    }
    if (t.live.length > maxParallel)
      say(`${t.live.length} calls in flight, maxParallel ${maxParallel}`)
    for (const name of LANES) {
      const reads = t.live.filter((c) => c.kind === 'read' && c.url.includes(`/${name || 'main'}/`))
      if (reads.length > maxParallelReads) say(`${reads.length} reads at once in lane '${name}'`)
    }
    const snap = queue.getSnapshot()
    const listed = new Set(snap.items.map((x) => x.id))
    if (listed.size !== snap.items.length) say('an item is listed twice')
    if (snap.status === 'idle' && pending().length) say(`idle while #${pending()[0]} is pending`)
  }

  // Writes go out in the order they were made, within each lane, retries at their place.
  for (const name of LANES) {
    const seq = t.calls
      .filter((c) => c.kind === 'write' && c.url.includes(`/${name || 'main'}/`))
      .map((c) => (c.context.item.meta as number) ?? -1)
    if (seq.some((m, i) => i > 0 && m < seq[i - 1]!))
      say(`writes out of order in lane '${name}': ${seq.join(' ')}`)
  }

  // The end: back online, nothing paused, every call answered: everything settles and the queue
  // ends idle.
  online.setOnline(true)
  queue.resume()
  for (const name of LANES) queue.resume(name)
  for (let round = 0; round < 200 && (pending().length || t.open().length); round++) {
    for (const call of t.open()) call.answer()
    // A write parked by onFailure 'pause' waits for retry(id) or discard(id).
    for (const item of queue.getSnapshot().items) if (item.state === 'failed') queue.retry(item.id)
    await clock.advance(1_000)
    await flush()
  }
  if (pending().length) say(`#${pending()[0]} never settled`)
  if (queue.getSnapshot().status !== 'idle') say(`the queue ends ${queue.getSnapshot().status}`)
  queue.dispose()
  return broken
}

describe('the controls in any order (fast-check)', () => {
  for (const onFailure of ['continue', 'pause'] as const) {
    it(`onFailure '${onFailure}': writes never overlap in a lane and go in order, the limits hold, idle means settled, listed items are found by id, everything settles`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { minLength: 1, maxLength: 30 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          async (ops, maxParallel, maxParallelReads) => {
            const broken = await run(ops, { onFailure, maxParallel, maxParallelReads })
            expect(broken).toEqual([])
          },
        ),
        { numRuns: Number(process.env.CONTROLS_RUNS ?? 150) },
      )
    }, 120_000)
  }
})
