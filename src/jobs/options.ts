import { optionError } from '../http.ts'

/** Options of `followJobs(options?)`. Every one is optional; invalid ones throw a `TypeError` naming the option. */
export interface FollowJobsOptions {
  /**
   * Milliseconds before the first poll, when the server sends no `Retry-After`; each poll without
   * one waits half as long again as the last, up to `maxInterval`. Default 1000.
   */
  interval?: number
  /** The longest wait between two polls without `Retry-After`, in milliseconds. Default 30 000. */
  maxInterval?: number
  /**
   * Milliseconds from the `202 Accepted` (kept across reloads) after which a job that has not
   * ended fails with a `JobError` (`code: 'max-wait'`). Default 86 400 000 (24 h).
   */
  maxWait?: number
  /**
   * `false` (default): the lane moves on once the job is accepted, since the server holds it now.
   * `true`: the lane waits for the job's end, for writes that depend on its result.
   */
  hold?: boolean
}

/** Every default of `followJobs`, in one place. */
export const JOB_DEFAULTS = {
  interval: 1000,
  maxInterval: 30_000,
  maxWait: 86_400_000,
  hold: false,
}

export type JobSettings = typeof JOB_DEFAULTS

const positive = (v: unknown): v is number => typeof v === 'number' && v > 0

/** Applies the defaults. Throws a TypeError naming the option, as `createQueue` does. */
export function jobSettings(options?: FollowJobsOptions): JobSettings {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw optionError('followJobs(options)', 'an object', options)
  const d = JOB_DEFAULTS
  const interval = options?.interval ?? d.interval
  const maxInterval = options?.maxInterval ?? Math.max(d.maxInterval, interval)
  const maxWait = options?.maxWait ?? d.maxWait
  const hold = options?.hold ?? d.hold
  if (!positive(interval)) throw optionError('interval', 'a number of milliseconds > 0', interval)
  if (!positive(maxInterval) || maxInterval < interval)
    throw optionError(
      'maxInterval',
      `a number of milliseconds ≥ interval (${interval})`,
      maxInterval,
    )
  if (!positive(maxWait)) throw optionError('maxWait', 'a number of milliseconds > 0', maxWait)
  if (typeof hold !== 'boolean') throw optionError('hold', 'a boolean', hold)
  return { interval, maxInterval, maxWait, hold }
}
