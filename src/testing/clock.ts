import type { Clock } from '../types.ts'
import { flush } from './flush.ts'

interface Timer {
  id: number
  at: number
  fn: () => void
}

/** A clock whose time moves only when the test says. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>
  /** Moves to the earliest timer and fires it. Resolves false when no timer is set. */
  next(): Promise<boolean>
  /** How many timers are set. */
  readonly timers: number
  /** When the earliest timer fires, or undefined. */
  readonly nextAt: number | undefined
  /** Every delay ever passed to `setTimeout`, in order: the backoff a test can assert. */
  readonly delays: readonly number[]
}

/**
 * A deterministic clock to pass as `createQueue({ clock })`, for tests that would rather not fake
 * the global timers. Time starts at `start` (default 1 700 000 000 000, a fixed date) and moves
 * only through `advance()` and `next()`.
 *
 * @example
 * const clock = manualClock()
 * const queue = createQueue({ clock, transport })
 * // ... a 503 with Retry-After: 5
 * await clock.advance(5_000) // the retry goes out
 */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start
  let ids = 0
  const timers = new Map<number, Timer>()
  const delays: number[] = []
  const earliest = () => {
    let first: Timer | undefined
    for (const t of timers.values()) if (!first || t.at < first.at) first = t
    return first
  }
  const fire = async (t: Timer) => {
    timers.delete(t.id)
    now = Math.max(now, t.at)
    t.fn()
    await flush()
  }
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++ids
      const delay = Math.max(0, Number(ms) || 0)
      delays.push(delay)
      timers.set(id, { id, at: now + delay, fn })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    async advance(ms) {
      const end = now + ms
      await flush()
      for (let t = earliest(); t && t.at <= end; t = earliest()) await fire(t)
      now = end
      await flush()
    },
    async next() {
      await flush()
      const t = earliest()
      if (!t) return false
      await fire(t)
      return true
    },
    get timers() {
      return timers.size
    },
    get nextAt() {
      return earliest()?.at
    },
    delays,
  }
}

/**
 * A clock over `Date.now` and the global timers, read at every call, so `vi.useFakeTimers()` or
 * `jest.useFakeTimers()` take effect whenever the test installs them, before or after the queue
 * was created. Its time never runs behind a timer it has fired: under fake timers that leave
 * `Date` alone (Jest's legacy timers, or `toFake` without `Date`), a timeout or backoff that
 * fires still finds its deadline passed.
 *
 * @example
 * vi.useFakeTimers()
 * const queue = createQueue({ clock: fakeTimersClock(), transport })
 * await vi.advanceTimersByTimeAsync(30_000) // the attempt times out
 */
export function fakeTimersClock(): Clock {
  let floor = Number.NEGATIVE_INFINITY
  const now = () => Math.max(Date.now(), floor)
  return {
    now,
    setTimeout(fn, ms) {
      const due = now() + Math.max(0, ms)
      return globalThis.setTimeout(() => {
        if (due > floor) floor = due
        fn()
      }, ms)
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
}
