import fc from 'fast-check'
import { describe, it } from 'vitest'
import { createQueue, type Transport } from '../../src/index.ts'
import { fakeOnline } from '../support/online.ts'
import { drain, scheduledAnswer, scheduledClock } from '../support/scheduler.ts'

interface Op {
  kind: 'read' | 'write'
  dedupe: 'a' | undefined
  fail: boolean
  abort: boolean
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('read', 'write'),
  dedupe: fc.option(fc.constant('a'), { nil: undefined }),
  fail: fc.boolean(),
  abort: fc.boolean(),
})

interface Call {
  idx: number
  kind: Op['kind']
  start: number
  end: number | undefined
  offline: boolean
}

/**
 * Callers abort at random moments and the connection drops and comes back, while fast-check's
 * scheduler decides when each call, timer, abort and network change happens.
 */
async function run(s: fc.Scheduler, ops: Op[], drops: number): Promise<string[]> {
  let time = 0
  const calls: Call[] = []
  const live = new Set<Call>()
  const online = fakeOnline()
  const attempts = new Map<number, number>()

  const transport: Transport = (_request, context) => {
    const idx = context.item.meta as number
    const n = attempts.get(idx) ?? 0
    attempts.set(idx, n + 1)
    const call: Call = {
      idx,
      kind: ops[idx]!.kind,
      start: ++time,
      end: undefined,
      offline: !online.isOnline(),
    }
    calls.push(call)
    live.add(call)
    const end = () => {
      if (call.end !== undefined) return false
      call.end = ++time
      live.delete(call)
      return true
    }
    // The first attempt of a failing item drops the connection; the retry succeeds.
    return scheduledAnswer(s, `#${idx} attempt ${n + 1}`, context.signal, end, () =>
      ops[idx]!.fail && n === 0 ? new TypeError('Failed to fetch') : new Response(`#${idx}`),
    )
  }
  const clock = scheduledClock(s)
  const queue = createQueue({ transport, clock, online, timeout: false, retry: { baseDelay: 1 } })
  const followed = new Map<number, number>()
  queue.on('superseded', (e) => followed.set(e.item.meta as number, e.by.meta as number))

  type Result = {
    status: 'pending' | 'ok' | 'rejected'
    reason?: unknown
    abortedWhilePending: boolean
  }
  const results: Result[] = []
  for (const [idx, op] of ops.entries()) {
    const ctrl = new AbortController()
    const r: Result = { status: 'pending', abortedWhilePending: false }
    results.push(r)
    queue
      .fetch(`https://api.test/${op.kind}/${idx}`, {
        method: op.kind === 'write' ? 'POST' : 'GET',
        dedupe: op.dedupe,
        meta: idx,
        signal: ctrl.signal,
      })
      .then(
        () => (r.status = 'ok'),
        (reason: unknown) => Object.assign(r, { status: 'rejected', reason }),
      )
    if (op.abort)
      s.schedule(Promise.resolve(), `abort #${idx}`).then(() => {
        if (r.status === 'pending') r.abortedWhilePending = true
        ctrl.abort(`reason #${idx}`)
      })
  }
  for (let i = 0; i < drops; i++) {
    s.schedule(Promise.resolve(), 'offline').then(() => online.setOnline(false))
    s.schedule(Promise.resolve(), 'online').then(() => online.setOnline(true))
  }

  await drain(s)
  // Drops and recoveries ran in any order: end online so the queue can drain.
  online.setOnline(true)
  await drain(s)

  const broken: string[] = []
  const say = (rule: string) => broken.includes(rule) || broken.push(rule)
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
  for (const [i, r] of results.entries()) {
    if (r.status === 'pending') say(`every promise settles: #${i} is pending`)
    if (r.abortedWhilePending && (r.status !== 'rejected' || r.reason !== `reason #${i}`))
      say(`2.6 #${i} was aborted while pending but ended ${r.status} (${String(r.reason)})`)
    if (!r.abortedWhilePending && r.status !== 'ok') {
      // 2.3: a replaced call settles as the item that replaced it, an abort of that one included.
      const chain: number[] = []
      for (let j = followed.get(i); j !== undefined; j = followed.get(j)) chain.push(j)
      if (!chain.some((j) => r.reason === `reason #${j}`))
        say(`#${i} was not aborted but ended ${r.status} (${String(r.reason)})`)
    }
  }
  if (live.size) say('a transport call was left running')
  if (queue.getSnapshot().status !== 'idle') say('the queue ends idle')
  queue.dispose()
  return broken
}

describe('2.6 abort and connection drops under any timing (fast-check scheduler)', () => {
  it('2.2/2.6 aborted callers get their reason, others their response; the barrier holds, offline or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(opArb, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 3 }),
        async (s, ops, drops) => {
          const broken = await run(s, ops, drops)
          if (broken.length)
            throw new Error(
              `${broken.join('\n')}\n${s
                .report()
                .map((t) => t.label)
                .join('\n')}`,
            )
        },
      ),
      { numRuns: 300 },
    )
  }, 60_000)
})
