import type { Clock } from '../../src/index.ts'
import { flush } from './tick.ts'

interface Timer {
  id: number
  at: number
  fn: () => void
}

export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>
  /** Advances to the next timer and fires it. Returns false when no timer is set. */
  next(): Promise<boolean>
  /** Timers currently set. */
  readonly timers: number
  /** When the earliest timer fires, or undefined. */
  readonly nextAt: number | undefined
  /** Every delay ever passed to setTimeout, in order. */
  readonly delays: number[]
}

/** A deterministic clock to inject as `clock`: time only moves when a test says so. */
export function fakeClock(start = 1_700_000_000_000): FakeClock {
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
