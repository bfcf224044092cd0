import type { Policy } from './types.ts'

/** Full jitter: random(0, min(maxDelay, baseDelay * 2 ** failures)). */
export const backoff = (policy: Policy, failures: number): number =>
  Math.random() * Math.min(policy.maxDelay, policy.baseDelay * 2 ** failures)

/**
 * `Retry-After` in milliseconds from `now`, or undefined when absent or unparsable.
 * Accepts delta-seconds and HTTP dates. `Date.parse` alone is too lenient ("5.5" is a date to V8),
 * so a date must contain a letter, as every HTTP date format does.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  if (!/[a-z]/i.test(v)) return
  // HTTP dates are UTC; the obsolete asctime form says no zone, which Date.parse reads as local.
  const at = Date.parse(/gmt|utc|z$/i.test(v) ? v : `${v} GMT`)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
