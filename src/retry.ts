import { HttpError, NetworkError, TimeoutError } from './errors.ts'
import type { Item } from './item.ts'
import { isResponse, noop } from './settle.ts'
import type { Clock, RetryPolicy } from './types.ts'

export type Policy = Required<RetryPolicy>

export const DEFAULT_RETRY: Policy = {
  limit: 5,
  networkLimit: Number.POSITIVE_INFINITY,
  baseDelay: 1000,
  maxDelay: 30_000,
  maxRetryAfter: 300_000,
  statuses: [408, 425, 429, 500, 502, 503, 504],
}

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
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * What to do with an attempt's result: a Response to deliver, or an error and a delay to retry
 * after (no delay: it failed for good). Counts the failure against the item's retry budget.
 */
export type Verdict = Response | { error: Error; delay?: number }

export function judge(
  it: Item,
  ok: boolean,
  value: unknown,
  reason: unknown,
  clock: Clock,
): Verdict {
  if (!ok)
    return connection(it, reason instanceof TimeoutError ? reason : new NetworkError(it.req, value))
  if (!isResponse(value)) {
    const type = value === null ? 'null' : typeof value
    const cause = new TypeError(`The transport resolved to ${type}, not a Response`)
    // Not retried: a transport that returns garbage will do so again.
    return { error: new NetworkError(it.req, cause, 'Invalid transport response') }
  }
  const { status } = value
  if (status >= 200 && status < 400) return value
  if (value.type === 'error') return connection(it, new NetworkError(it.req, value))
  // Opaque (no-cors) and opaque-redirect responses have status 0: they are all such requests get.
  if (status < 200) return value
  const policy = it.retry
  if (policy.statuses.includes(status) && it.statusFails < policy.limit) {
    it.statusFails++
    const after = parseRetryAfter(value.headers.get('retry-after'), clock.now())
    value.body?.cancel().catch(noop)
    return {
      error: new HttpError(value, it.req!),
      delay:
        after === undefined
          ? backoff(policy, it.netFails + it.statusFails - 1)
          : Math.min(after, policy.maxRetryAfter),
    }
  }
  return it.throwHttpErrors ? { error: new HttpError(value, it.req!) } : value
}

/** A connection failure: the request may or may not have reached the server. */
function connection(it: Item, error: Error): Verdict {
  if (it.netFails >= it.retry.networkLimit) return { error }
  it.netFails++
  return { error, delay: backoff(it.retry, it.netFails + it.statusFails - 1) }
}
