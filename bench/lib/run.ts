import { collect } from './stats.ts'

/** Elapsed milliseconds of one batch: wall clock, and CPU time of this process (user + system). */
export interface Elapsed {
  wall: number
  cpu: number
}

/** Starts a stopwatch; calling the result stops it. */
export function stopwatch(): () => Elapsed {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  return () => {
    const wall = performance.now() - t0
    const c = process.cpuUsage(c0)
    return { wall, cpu: (c.user + c.system) / 1000 }
  }
}

/** Which clock the timed figures report. CPU time is the default: this machine may be shared. */
export const CLOCK: keyof Elapsed = process.env.BENCH_CLOCK === 'wall' ? 'wall' : 'cpu'

/** One contender of a timed figure: runs `n` items once and returns the elapsed time. */
export interface Timed {
  name: string
  run(n: number): Promise<Elapsed>
  /** Largest size it is run at; bigger sizes are skipped and reported as such. */
  max?: number
}

/**
 * Runs every contender once to warm up, then `runs` rounds, the contenders interleaved within each
 * round so drift (thermal, other load) hits all of them alike. A full GC precedes every run.
 * Each run repeats the batch until at least `minItems` items went through, so small sizes are not
 * timer noise. Returns µs per item for every run, on both clocks.
 */
export async function measure(
  contenders: Timed[],
  n: number,
  runs: number,
  minItems = 10_000,
): Promise<Record<keyof Elapsed, Map<string, number[]>>> {
  const active = contenders.filter((c) => (c.max ?? Number.POSITIVE_INFINITY) >= n)
  const reps = Math.max(1, Math.ceil(minItems / n))
  const once = async (c: Timed) => {
    collect()
    const sum: Elapsed = { wall: 0, cpu: 0 }
    for (let r = 0; r < reps; r++) {
      const e = await c.run(n)
      sum.wall += e.wall
      sum.cpu += e.cpu
    }
    return { wall: (sum.wall * 1000) / (n * reps), cpu: (sum.cpu * 1000) / (n * reps) }
  }
  for (const c of active) await once(c)
  const make = () => new Map<string, number[]>(active.map((c) => [c.name, []]))
  const out = { wall: make(), cpu: make() }
  for (let round = 0; round < runs; round++)
    for (const c of active) {
      const e = await once(c)
      out.wall.get(c.name)!.push(e.wall)
      out.cpu.get(c.name)!.push(e.cpu)
    }
  return out
}
