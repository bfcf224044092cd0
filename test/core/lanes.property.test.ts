import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Clock, createQueue, type Transport } from '../../src/index.ts'
import { fakeOnline } from '../support/online.ts'
import { drain, scheduledAnswer, scheduledClock } from '../support/scheduler.ts'
import { flush } from '../support/tick.ts'

type Outcome = 'ok' | 'net' | '503' | '404'
interface Op {
  kind: 'read' | 'write'
  lane: string
  outcomes: Outcome[]
  late: boolean
}

const RETRY = { limit: 1, networkLimit: 2, baseDelay: 1, maxDelay: 1 }
const LANES = ['', 'a', 'b', 'c']
const RUNS = Number(process.env.LANES_RUNS ?? 200)

const opArb = (outcomes: fc.Arbitrary<Outcome[]>): fc.Arbitrary<Op> =>
  fc.record({
    kind: fc.constantFrom<Op['kind']>('read', 'write'),
    lane: fc.constantFrom(...LANES),
    outcomes,
    late: fc.boolean(),
  })
const anyOutcomes = fc.array(fc.constantFrom<Outcome>('ok', 'net', '503', '404'), { maxLength: 3 })
// No retries, so no backoff timers: a lane with work left and nothing on the wire is stalled.
const noRetry = fc.array(fc.constantFrom<Outcome>('ok', '404'), { maxLength: 1 })

interface Call {
  idx: number
  lane: string
  kind: 'read' | 'write'
  start: number
  end: number | undefined
  overlapping: Call[]
}

interface QueueLike {
  fetch(url: string, init: Record<string, unknown>): Promise<Response>
  isIdle(): boolean
}

type Factory = (options: { transport: Transport; clock: Clock; maxParallel: number }) => QueueLike

const realQueue: Factory = (options) => {
  const queue = createQueue({ ...options, online: fakeOnline(), timeout: false, retry: RETRY })
  return {
    fetch: (url, init) => queue.fetch(url, init),
    isIdle: () => queue.getSnapshot().status === 'idle' && queue.getSnapshot().pending === 0,
  }
}

/**
 * Runs one scenario of items in random lanes; fast-check's scheduler decides when each transport
 * call, timer and late enqueue happens. With `stalls`, it also checks at every step that no lane
 * with work left sits idle while a slot under `maxParallel` is free. Returns the broken rules.
 */
async function run(
  s: fc.Scheduler,
  input: Op[],
  maxParallel: number,
  make: Factory,
  seen: { step?: () => void },
): Promise<string[]> {
  const ops: Op[] = []
  let time = 0
  const calls: Call[] = []
  const live = new Set<Call>()
  const attempts = new Map<number, number>()
  const broken: string[] = []
  const say = (rule: string) => broken.includes(rule) || broken.push(rule)

  const transport: Transport = (request, context) => {
    const idx = context.item.meta as number
    const n = attempts.get(idx) ?? 0
    attempts.set(idx, n + 1)
    const op = ops[idx]!
    const outcome = op.outcomes[n] ?? 'ok'
    const call: Call = {
      idx,
      lane: op.lane,
      kind: op.kind,
      start: ++time,
      end: undefined,
      overlapping: [...live],
    }
    calls.push(call)
    live.add(call)
    if (live.size > maxParallel) say(`2.9 more than maxParallel ${maxParallel} in flight`)
    const end = () => {
      if (call.end !== undefined) return false
      call.end = ++time
      live.delete(call)
      return true
    }
    return scheduledAnswer(
      s,
      `${request.method} #${idx} lane '${op.lane}' attempt ${n + 1}: ${outcome}`,
      context.signal,
      end,
      () =>
        outcome === 'net'
          ? new TypeError('Failed to fetch')
          : new Response(`#${idx}`, { status: outcome === 'ok' ? 200 : Number(outcome) }),
    )
  }

  const queue = make({ transport, clock: scheduledClock(s), maxParallel })
  const results: { status: 'pending' | 'ok' | 'rejected' }[] = []
  const add = (op: Op) => {
    const idx = ops.length
    ops.push(op)
    const r = { status: 'pending' as 'pending' | 'ok' | 'rejected' }
    results.push(r)
    queue
      .fetch(`https://api.test/${op.lane}/${op.kind}/${idx}`, {
        method: op.kind === 'write' ? 'POST' : 'GET',
        lane: op.lane,
        meta: idx,
      })
      .then(
        () => (r.status = 'ok'),
        () => (r.status = 'rejected'),
      )
  }
  seen.step = () => {
    if (live.size >= maxParallel) return
    for (const lane of LANES) {
      const waiting = results.some((r, i) => r.status === 'pending' && ops[i]!.lane === lane)
      const busy = [...live].some((c) => c.lane === lane)
      if (waiting && !busy) say(`2.9 lanes run in parallel: lane '${lane}' idle with a slot free`)
    }
  }
  for (const op of input) {
    if (op.late) s.schedule(Promise.resolve(), 'late enqueue').then(() => add(op))
    else add(op)
  }

  await drain(s)

  for (const c of calls) {
    for (const o of c.overlapping) {
      if (o.lane === c.lane && (c.kind === 'write' || o.kind === 'write'))
        say(`2.9 a write overlapped in lane '${c.lane}': #${o.idx} and #${c.idx}`)
    }
  }
  for (const a of calls) {
    for (const b of calls) {
      if (
        a.lane === b.lane &&
        a.idx < b.idx &&
        (a.kind === 'write' || b.kind === 'write') &&
        (a.end ?? Infinity) > b.start
      )
        say(`2.9 #${b.idx} started before #${a.idx} of its lane settled`)
    }
  }
  for (const lane of LANES) {
    const writes = calls.filter((c) => c.kind === 'write' && c.lane === lane).map((c) => c.idx)
    if (writes.some((w, i) => i > 0 && w < writes[i - 1]!))
      say(`2.9 writes of lane '${lane}' out of enqueue order`)
  }
  for (const [i, r] of results.entries())
    if (r.status === 'pending') say(`every promise settles: #${i} is pending`)
  if (live.size) say('a transport call was left running')
  if (!queue.isIdle()) say('the queue ends idle')
  return broken
}

const scenario = (make: Factory, outcomes: fc.Arbitrary<Outcome[]>, stalls: boolean) => {
  const seen: { step?: () => void } = {}
  // Before each step the scheduler takes, let the queue react to the last one, then look.
  const act = async (f: () => Promise<unknown>) => {
    await flush(2)
    if (stalls) seen.step?.()
    await f()
  }
  return fc.asyncProperty(
    fc.scheduler({ act }),
    fc.array(opArb(outcomes), { minLength: 1, maxLength: 14 }),
    fc.integer({ min: 1, max: 4 }),
    async (s, ops, maxParallel) => {
      seen.step = undefined
      const broken = await run(s, ops, maxParallel, make, seen)
      if (broken.length)
        throw new Error(
          `${broken.join('\n')}\n${s
            .report()
            .map((t) => t.label)
            .join('\n')}`,
        )
    },
  )
}

describe('2.9 lanes under any completion order (fast-check scheduler)', () => {
  it('2.9 per lane no write overlaps anything and writes go in order; maxParallel holds; every promise settles', async () => {
    await fc.assert(scenario(realQueue, anyOutcomes, false), { numRuns: RUNS })
  }, 120_000)

  it('2.9 lanes run in parallel: no lane with work waits while a slot under maxParallel is free', async () => {
    await fc.assert(scenario(realQueue, noRetry, true), { numRuns: RUNS })
  }, 120_000)

  it('the checker catches a queue that serializes every lane into one', async () => {
    // A toy queue that sends one request at a time, whatever its lane: ordered, but not parallel.
    const serial: Factory = ({ transport }) => {
      let open = 0
      let tail: Promise<unknown> = Promise.resolve()
      return {
        fetch(url, init) {
          open++
          const ctrl = new AbortController()
          const item = { meta: init.meta } as never
          const method = init.method as string
          const p = tail.then(() =>
            transport(
              { url, method, headers: new Headers(), signal: ctrl.signal },
              { signal: ctrl.signal, attempt: 1, item },
            ),
          )
          tail = p.catch(() => {})
          const done = p.finally(() => open--)
          done.catch(() => {})
          return done
        },
        isIdle: () => open === 0,
      }
    }
    // It keeps every ordering rule, so only the parallelism check can catch it.
    expect((await fc.check(scenario(serial, noRetry, false), { numRuns: RUNS })).failed).toBe(false)
    const out = await fc.check(scenario(serial, noRetry, true), { numRuns: RUNS })
    expect(out.failed).toBe(true)
    expect(String(out.errorInstance)).toMatch(/2\.9 lanes run in parallel/)
  }, 120_000)
})
