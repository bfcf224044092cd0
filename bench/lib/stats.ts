/** A measured figure: every run's value, summarized by median and spread. */
export interface Sample {
  runs: number[]
  median: number
  min: number
  max: number
  /** (max - min) / median, as a fraction. */
  spread: number
}

export function summarize(runs: number[]): Sample {
  const sorted = [...runs].sort((a, b) => a - b)
  const n = sorted.length
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  const min = sorted[0]!
  const max = sorted[n - 1]!
  return { runs, median, min, max, spread: median ? (max - min) / median : 0 }
}

declare const gc: (() => void) | undefined

/** Full collection, when node runs with --expose-gc. Called between runs, never inside one. */
export function collect(): void {
  if (typeof gc === 'function') {
    gc()
    gc()
  }
}

export const hasGc = (): boolean => typeof gc === 'function'

/** Lets pending timers, I/O callbacks and microtasks run. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
