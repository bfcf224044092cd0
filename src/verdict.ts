import { HttpError, NetworkError, TimeoutError } from './errors.ts'
import { noop } from './http.ts'
import { backoff, parseRetryAfter } from './retry.ts'
import type { Policy, QueueRequest } from './types.ts'

export const isResponse = (r: unknown): r is Response =>
  typeof r === 'object' &&
  r !== null &&
  typeof (r as Response).status === 'number' &&
  typeof (r as Response).clone === 'function' &&
  // Read for every status the queue retries: a look-alike without it is refused whatever its status.
  typeof (r as Response).headers?.get === 'function'

const REUSED = 'the idempotency key was reused for a different request (422)'

/** What the verdict needs to know of the item: its policy and its failures so far. */
export interface Counters {
  readonly retry: Policy
  readonly throwHttpErrors: boolean
  readonly _netFails: number
  readonly _statusFails: number
  /** Attempts so far, this one included. */
  readonly attempts: number
  /** Restored from the spool, or a connection failure before: an earlier attempt may have landed. */
  readonly _doubt: boolean
  /** Whether the item has an idempotency key. */
  readonly _hasKey: boolean
}

/**
 * Whether this attempt's key may have gone out before: a retry, or a write restored from the
 * spool. Only then are 409 and 422 the IETF draft's answers to a repeated key.
 */
const repeated = (c: Counters): boolean => c._hasKey && (c.attempts > 1 || c._doubt)

/**
 * What to do with an attempt's result: a Response to deliver, or an error with a delay to retry
 * after, counting against the connection (`net`) or the status budget; without a delay, the item
 * failed for good. A pure function: the caller changes the item.
 */
export type Verdict = Response | { error: Error; delay?: number; net?: boolean }

export function judge(
  c: Counters,
  ok: boolean,
  value: unknown,
  req: QueueRequest | undefined,
  now: number,
): Verdict {
  if (!ok)
    return connection(c, value instanceof TimeoutError ? value : new NetworkError(req, value))
  // What the transport resolved to: a look-alike that throws where a Response would not is
  // refused like anything else that is not a Response.
  try {
    if (!isResponse(value)) {
      const type = value === null ? 'null' : typeof value
      throw new TypeError(`The transport resolved to ${type}, not a Response`)
    }
    const { status } = value
    if (status >= 200 && status < 400) return value
    if (value.type === 'error') return connection(c, new NetworkError(req, value))
    // Opaque (no-cors) and opaque-redirect responses have status 0: they are all such requests get.
    // Stryker disable next-line EqualityOperator: 200 returned above, so `< 200` and `<= 200` agree
    if (status < 200) return value
    const policy = c.retry
    const again = repeated(c)
    if (again && status === 422) {
      value.body?.cancel().catch(noop)
      return { error: new HttpError(value, req!, REUSED) }
    }
    // 409 to a repeated key: the first request is still being processed, so the write is in doubt.
    const inProgress = again && status === 409
    if ((inProgress || policy.statuses.includes(status)) && c._statusFails < policy.limit) {
      const after = parseRetryAfter(value.headers.get('retry-after'), now)
      value.body?.cancel().catch(noop)
      return {
        error: new HttpError(value, req!),
        delay:
          after === undefined
            ? backoff(policy, c._netFails + c._statusFails)
            : Math.min(after, policy.maxRetryAfter),
      }
    }
    return c.throwHttpErrors ? { error: new HttpError(value, req!) } : value
  } catch (cause) {
    // Not retried: a transport that returns garbage will do so again.
    return { error: new NetworkError(req, cause, 'Invalid transport response') }
  }
}

/** A connection failure: the request may or may not have reached the server. */
function connection(c: Counters, error: Error): Verdict {
  if (c._netFails >= c.retry.networkLimit) return { error }
  return { error, delay: backoff(c.retry, c._netFails + c._statusFails), net: true }
}
