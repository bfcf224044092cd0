import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Clock, createQueue, type Transport } from '../../src/index.ts'
import { fakeOnline } from '../support/online.ts'
import { drain, scheduledAnswer, scheduledClock } from '../support/scheduler.ts'

type Outcome = 'ok' | 'net' | '503' | '404'
interface Op {
  kind: 'read' | 'write'
  dedupe: 'a' | 'b' | undefined
  outcomes: Outcome[]
  late: boolean
}

const RETRY = { limit: 1, networkLimit: 2, baseDelay: 1, maxDelay: 1 }

const opArb = (
  outcomes: fc.Arbitrary<Outcome[]>,
  kind: fc.Arbitrary<Op['kind']> = fc.constantFrom('read', 'write'),
): fc.Arbitrary<Op> =>
  fc.record({
    kind,
    dedupe: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    outcomes,
    late: fc.boolean(),
  })
const anyOutcomes = fc.array(fc.constantFrom<Outcome>('ok', 'net', '503', '404'), { maxLength: 3 })

interface Call {
  idx: number
  kind: 'read' | 'write'
  start: number
  end: number | undefined
  overlapping: Call[]
}

/** What the last attempt of an item that was never superseded must give. */
function expected(outcomes: Outcome[]): { attempts: number; ok: boolean } {
  let net = 0
  let status = 0
  for (let n = 0; ; n++) {
    const o = outcomes[n] ?? 'ok'
    if (o === 'ok') return { attempts: n + 1, ok: true }
    if (o === '404') return { attempts: n + 1, ok: false }
    if (o === 'net' && ++net > RETRY.networkLimit) return { attempts: n + 1, ok: false }
    if (o === '503' && ++status > RETRY.limit) return { attempts: n + 1, ok: false }
  }
}

interface QueueLike {
  fetch(url: string, init: Record<string, unknown>): Promise<Response>
  onSuperseded(listener: (old: number, by: number) => void): void
  isIdle(): boolean
  whenIdle?(): Promise<void>
}

type Factory = (options: {
  transport: Transport
  clock: Clock
  maxParallelReads: number
}) => QueueLike

const realQueue: Factory = (options) => {
  const queue = createQueue({ ...options, online: fakeOnline(), timeout: false, retry: RETRY })
  return {
    fetch: (url, init) => queue.fetch(url, init),
    onSuperseded: (l) =>
      queue.on('superseded', (e) => l(e.item.meta as number, e.by.meta as number)),
    isIdle: () => queue.getSnapshot().status === 'idle' && queue.getSnapshot().pending === 0,
    whenIdle: () => queue.whenIdle(),
  }
}

/**
 * Runs one scenario: fast-check's scheduler decides when each transport call, each timer and each
 * late enqueue happens. Returns the rules that were broken.
 */
async function run(
  s: fc.Scheduler,
  input: Op[],
  maxParallelReads: number,
  make: Factory,
): Promise<string[]> {
  // Indexed in enqueue order, which late enqueues make differ from `input`'s order.
  const ops: Op[] = []
  let time = 0
  const calls: Call[] = []
  const live = new Set<Call>()
  const attempts = new Map<number, number>()
  const kinds: ('read' | 'write')[] = []

  const transport: Transport = (request, context) => {
    const idx = context.item.meta as number
    const n = attempts.get(idx) ?? 0
    attempts.set(idx, n + 1)
    const outcome = ops[idx]!.outcomes[n] ?? 'ok'
    const call: Call = {
      idx,
      kind: kinds[idx]!,
      start: ++time,
      end: undefined,
      overlapping: [...live],
    }
    calls.push(call)
    live.add(call)
    const end = () => {
      if (call.end !== undefined) return false
      call.end = ++time
      live.delete(call)
      return true
    }
    return scheduledAnswer(
      s,
      `${request.method} #${idx} attempt ${n + 1}: ${outcome}`,
      context.signal,
      end,
      () =>
        outcome === 'net'
          ? new TypeError('Failed to fetch')
          : new Response(`#${idx}`, { status: outcome === 'ok' ? 200 : Number(outcome) }),
    )
  }

  const clock = scheduledClock(s)

  const queue = make({ transport, clock, maxParallelReads })
  const supersededBy = new Map<number, number>()
  queue.onSuperseded((old, by) => supersededBy.set(old, by))
  const results: { status: 'pending' | 'ok' | 'rejected' }[] = []
  const idleTooSoon: string[] = []
  const enqueue = (op: Op) => {
    const idx = kinds.length
    kinds.push(op.kind)
    const r = { status: 'pending' as 'pending' | 'ok' | 'rejected' }
    results.push(r)
    queue
      .fetch(`https://api.test/${op.kind}/${idx}`, {
        method: op.kind === 'write' ? 'POST' : 'GET',
        dedupe: op.dedupe,
        meta: idx,
      })
      .then(
        () => (r.status = 'ok'),
        () => (r.status = 'rejected'),
      )
    // 2.7: idle means every item enqueued so far has settled. A rejection reaches its caller a
    // few microtasks later than the idle signal: let those run, then look.
    const before = results.length
    queue.whenIdle?.().then(async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve()
      const open = results.slice(0, before).findIndex((x) => x.status === 'pending')
      if (open >= 0) idleTooSoon.push(`2.7 whenIdle() resolved while #${open} was pending`)
    })
  }
  const add = (op: Op) => {
    ops.push(op)
    enqueue(op)
  }
  for (const op of input) {
    if (op.late) s.schedule(Promise.resolve(), 'late enqueue').then(() => add(op))
    else add(op)
  }

  await drain(s)

  const broken: string[] = []
  const say = (rule: string) => broken.includes(rule) || broken.push(rule)
  for (const c of calls) {
    for (const o of c.overlapping) {
      if (c.kind === 'write' || o.kind === 'write')
        say(`2.2 a write overlapped: #${o.idx} and #${c.idx}`)
    }
    const reads = c.overlapping.filter((o) => o.kind === 'read').length + 1
    if (c.kind === 'read' && reads > maxParallelReads)
      say(`2.2 more than ${maxParallelReads} reads at once`)
  }
  // The barrier: between two items of which one is a write, every call of the earlier one ends
  // before any call of the later one starts.
  for (const a of calls) {
    for (const b of calls) {
      if (
        a.idx < b.idx &&
        (a.kind === 'write' || b.kind === 'write') &&
        (a.end ?? Infinity) > b.start
      )
        say(`2.2 #${b.idx} started before #${a.idx} settled`)
    }
  }
  const writes = calls.filter((c) => c.kind === 'write').map((c) => c.idx)
  if (writes.some((w, i) => i > 0 && w < writes[i - 1]!)) say('2.2 writes out of enqueue order')
  for (const [i, r] of results.entries()) {
    if (r.status === 'pending') say(`every promise settles: #${i} is pending`)
    let last = i
    while (supersededBy.has(last)) last = supersededBy.get(last)!
    if (last !== i) {
      if (kinds[last] !== kinds[i]) say(`2.3 a ${kinds[last]} replaced a ${kinds[i]}`)
      if (r.status !== results[last]!.status) say(`2.3 #${i} did not follow #${last}`)
      continue
    }
    const want = expected(ops[i]!.outcomes)
    if ((attempts.get(i) ?? 0) !== want.attempts)
      say(`2.4 #${i} had ${attempts.get(i) ?? 0} attempts, expected ${want.attempts}`)
    if (r.status !== (want.ok ? 'ok' : 'rejected')) say(`2.4 #${i} ended ${r.status}`)
  }
  if (live.size) say('a transport call was left running')
  if (!queue.isIdle()) say('the queue ends idle')
  for (const rule of idleTooSoon) say(rule)
  return broken
}

const scenario = (
  make: Factory,
  ops = fc.array(opArb(anyOutcomes), { minLength: 1, maxLength: 12 }),
) =>
  fc.asyncProperty(
    fc.scheduler(),
    ops,
    fc.integer({ min: 1, max: 3 }),
    async (s, ops, maxParallelReads) => {
      const broken = await run(s, ops, maxParallelReads, make)
      if (broken.length)
        throw new Error(
          `${broken.join('\n')}\n${s
            .report()
            .map((t) => t.label)
            .join('\n')}`,
        )
    },
  )

describe('2.2 ordering under any completion order (fast-check scheduler)', () => {
  it('2.2 no write overlaps anything, writes go in order, every promise settles, whenIdle() waits for them, the queue ends idle', async () => {
    await fc.assert(scenario(realQueue), { numRuns: 300 })
  }, 60_000)

  it('the checker catches a queue that sends everything at once', async () => {
    // A toy queue with no barrier: the property above must reject it.
    const naive: Factory = ({ transport }) => {
      let open = 0
      return {
        fetch(url, init) {
          open++
          const method = init.method as string
          const ctrl = new AbortController()
          const item = { meta: init.meta } as never
          const p = transport(
            { url, method, headers: new Headers(), signal: ctrl.signal },
            { signal: ctrl.signal, attempt: 1, item },
          ).finally(() => open--)
          p.catch(() => {})
          return p
        },
        onSuperseded() {},
        isIdle: () => open === 0,
      }
    }
    // Every call succeeds and every item is a write, so only overlapping writes can be caught.
    const writes = fc.array(opArb(fc.constant([]), fc.constant('write')), {
      minLength: 1,
      maxLength: 12,
    })
    const out = await fc.check(scenario(naive, writes), { numRuns: 200 })
    expect(out.failed).toBe(true)
    expect(String(out.errorInstance)).toMatch(/2\.2 a write overlapped/)
    // With everything mixed in, it is caught too.
    expect((await fc.check(scenario(naive), { numRuns: 200 })).failed).toBe(true)
  }, 60_000)
})
