import { collect } from './stats.ts'

/** One contender of a timed figure: runs `n` items once and returns the elapsed milliseconds. */
export interface Timed {
  name: string
  run(n: number): Promise<number>
  /** Largest size it is run at; bigger sizes are skipped and reported as such. */
  max?: number
}

/**
 * Runs every contender once to warm up, then `runs` rounds, the contenders interleaved within each
 * round so drift (thermal, other load) hits all of them alike. A full GC precedes every run.
 * Each run repeats the batch until at least `minItems` items went through, so small sizes are not
 * timer noise. Returns µs per item for every run.
 */
export async function measure(
  contenders: Timed[],
  n: number,
  runs: number,
  minItems = 10_000,
): Promise<Map<string, number[]>> {
  const active = contenders.filter((c) => (c.max ?? Number.POSITIVE_INFINITY) >= n)
  const reps = Math.max(1, Math.ceil(minItems / n))
  const once = async (c: Timed) => {
    collect()
    let ms = 0
    for (let r = 0; r < reps; r++) ms += await c.run(n)
    return (ms * 1000) / (n * reps)
  }
  for (const c of active) await once(c)
  const out = new Map<string, number[]>(active.map((c) => [c.name, []]))
  for (let round = 0; round < runs; round++)
    for (const c of active) out.get(c.name)!.push(await once(c))
  return out
}
