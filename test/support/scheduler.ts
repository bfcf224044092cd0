import type fc from 'fast-check'
import type { Clock } from '../../src/index.ts'
import { flush } from './tick.ts'

/** A clock whose timers fire when fast-check's scheduler says, in any order it picks. */
export function scheduledClock(s: fc.Scheduler): Clock {
  let now = 0
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = { cancelled: false }
      s.schedule(Promise.resolve(), `timer ${ms}ms`).then(() => {
        now += ms
        if (!handle.cancelled) fn()
      })
      return handle
    },
    clearTimeout(handle) {
      if (handle) (handle as { cancelled: boolean }).cancelled = true
    },
  }
}

/**
 * Answers a transport call when the scheduler says, unless its signal aborts first. `end` marks
 * the call finished and returns false when it already was; `answer` gives a Response or an error.
 */
export function scheduledAnswer(
  s: fc.Scheduler,
  label: string,
  signal: AbortSignal,
  end: () => boolean,
  answer: () => Response | Error,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => end() && reject(signal.reason), { once: true })
    s.schedule(Promise.resolve(), label).then(() => {
      if (!end()) return
      const a = answer()
      if (a instanceof Error) reject(a)
      else resolve(a)
    })
  })
}

/** Lets the scheduler run everything it holds, and whatever that schedules, until nothing is left. */
export async function drain(s: fc.Scheduler): Promise<void> {
  for (let guard = 0; guard < 1000; guard++) {
    await s.waitIdle()
    await flush(2)
    if (s.count() === 0) return
  }
}
