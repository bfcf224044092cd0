import { tick } from '../lib/stats.ts'

interface Timer {
  at: number
  seq: number
  fn: () => void
  live: boolean
}

/**
 * A discrete-event clock. Nothing waits on real time: `run()` lets every microtask settle, then
 * jumps to the next timer. It has the shape of the queue's `clock` option, so the library, the
 * simulated network and the app code under test all share one timeline.
 */
export class SimClock {
  #now = 0
  #seq = 0
  #heap: Timer[] = []

  now = (): number => this.#now

  setTimeout = (fn: () => void, ms: number): unknown => {
    const timer: Timer = { at: this.#now + Math.max(0, ms || 0), seq: this.#seq++, fn, live: true }
    this.#push(timer)
    return timer
  }

  clearTimeout = (handle: unknown): void => {
    if (handle && typeof handle === 'object' && 'live' in handle) (handle as Timer).live = false
  }

  /** Runs until nothing is scheduled or the next timer is later than `until`. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await tick()
      let next = this.#heap[0]
      while (next && !next.live) {
        this.#pop()
        next = this.#heap[0]
      }
      if (!next || next.at > until) break
      this.#pop()
      this.#now = next.at
      next.fn()
    }
  }

  #less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }

  #push(t: Timer): void {
    const h = this.#heap
    h.push(t)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.#less(h[i]!, h[p]!)) break
      ;[h[i], h[p]] = [h[p]!, h[i]!]
      i = p
    }
  }

  #pop(): void {
    const h = this.#heap
    const last = h.pop()!
    if (h.length === 0) return
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < h.length && this.#less(h[l]!, h[m]!)) m = l
      if (r < h.length && this.#less(h[r]!, h[m]!)) m = r
      if (m === i) break
      ;[h[i], h[m]] = [h[m]!, h[i]!]
      i = m
    }
  }
}
