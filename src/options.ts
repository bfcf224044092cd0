import { systemClock } from './env/clock.ts'
import { browserOnline } from './env/online.ts'
import type { FollowJobs } from './follow.ts'
import { optionError, TOKEN } from './http.ts'
import type { KeyWire } from './item.ts'
import { ATTACH, type DefinedSpool } from './spool/types.ts'
import { fetchTransport } from './transport/fetch.ts'
import type {
  Clock,
  ItemInfo,
  JsonValue,
  Kind,
  OnlineSource,
  Policy,
  QueueRequest,
  RetryPolicy,
  Transport,
} from './types.ts'

/** Options of `createQueue`. Every one is optional; invalid ones throw a `TypeError` naming the option. */
export interface QueueOptions {
  /** How requests are sent. Default: the global `fetch`. */
  transport?: Transport
  /** Where pending writes are stored, e.g. `localStorageSpool({ key })`. Default: memory only. */
  spool?: DefinedSpool
  /** A number is `{ limit: n }`. Default: `{ limit: 5, networkLimit: Infinity, baseDelay: 1000, maxDelay: 30_000 }`. */
  retry?: number | RetryPolicy
  /** Milliseconds per attempt; `false` turns it off. Default 30 000. */
  timeout?: number | false
  /** `false`: resolve with a failing response instead of rejecting with `HttpError`. Default true. */
  throwHttpErrors?: boolean
  /** Reads that may run at once between two writes, within one lane. Default 6. */
  maxParallelReads?: number
  /** Requests in flight at once across all lanes. Default 6 (the browsers' per-host limit on HTTP/1.1). */
  maxParallel?: number
  /**
   * Which writes carry an `Idempotency-Key` header. Default `'same-origin'`: a custom header on a
   * cross-origin request forces a CORS preflight, so those go without unless you say `'always'`.
   */
  idempotency?: 'same-origin' | 'always' | false
  /**
   * How the key is written. `'bare'` (default): `Idempotency-Key: 8e03…`, what most servers
   * expect. `'sf-string'`: the IETF draft's quoted Structured Field String,
   * `Idempotency-Key: "8e03…"`. Stored with each write, so a replay after a reload sends the same.
   */
  idempotencyFormat?: 'bare' | 'sf-string'
  /**
   * The header that carries the key, for APIs that name it otherwise, e.g. `'X-Idempotency-Key'`.
   * Default `'Idempotency-Key'`. Stored with each write, like the format.
   */
  idempotencyHeader?: string
  /**
   * What happens after a write fails for good. `'continue'` (default): its promise rejects and the
   * lane moves on. `'pause'`: the lane parks behind it until `retry(id)` or `discard(id)`.
   */
  onFailure?: 'continue' | 'pause'
  /**
   * Called before every attempt, e.g. to add a fresh `Authorization` header. What it adds is
   * never stored.
   */
  beforeSend?: (
    request: QueueRequest,
    item: ItemInfo,
    // biome-ignore lint/suspicious/noConfusingVoidType: an async hook that only mutates the request resolves to void
  ) => QueueRequest | undefined | void | Promise<QueueRequest | undefined | void>
  /** Default: `navigator.onLine` with the `online`, `offline` and `visibilitychange` events. */
  online?: OnlineSource
  /** Default: `Date.now` and the global timers, read at call time. */
  clock?: Clock
  /**
   * `followJobs(options?)` from `fetch-queue/jobs`: a write answered `202 Accepted` with a status
   * URL settles with the job's result, polled until it ends. Default: a 202 is delivered as it is.
   */
  follow?: FollowJobs
}

/** `fetch`'s `RequestInit`, plus the queue's own fields. */
export interface QueueInit extends RequestInit {
  /** Overrides the classification by method (GET, HEAD and OPTIONS are reads). */
  kind?: Kind
  /**
   * `true`: replace a pending item with the same method and URL. A string: replace a pending
   * item of the same kind with the same key.
   */
  dedupe?: boolean | string
  /** Sent as `JSON.stringify(json)` with `content-type: application/json`. */
  json?: unknown
  /** Your own tag, stored with the item and returned in every event about it. */
  meta?: JsonValue
  /**
   * The ordered lane the item joins, e.g. `'room:42'`: the barrier holds within a lane, lanes run
   * side by side. Default `''`, the queue's default lane.
   */
  lane?: string
  /** Store this item in the spool. Default: true for writes. */
  persist?: boolean
  /** `false`: deliver a `202 Accepted` as it is, even when the queue follows jobs. */
  follow?: boolean
  retry?: number | RetryPolicy
  timeout?: number | false
  /** Use this key instead of a fresh one. */
  idempotencyKey?: string
  /** `false`: resolve with a failing response instead of rejecting with `HttpError`. Default true. */
  throwHttpErrors?: boolean
}

/** Every default of the queue, in one place. */
export const DEFAULTS = {
  retry: {
    limit: 5,
    networkLimit: Infinity,
    baseDelay: 1000,
    maxDelay: 30_000,
    maxRetryAfter: 300_000,
    statuses: [408, 425, 429, 500, 502, 503, 504],
  } as Policy,
  timeout: 30_000 as number | false,
  throwHttpErrors: true,
  maxParallelReads: 6,
  maxParallel: 6,
  idempotency: 'same-origin' as 'same-origin' | 'always' | false,
  idempotencyFormat: 'bare' as 'bare' | 'sf-string',
  idempotencyHeader: 'Idempotency-Key',
  onFailure: 'continue' as 'continue' | 'pause',
  transport: fetchTransport,
  clock: systemClock,
  /** A factory: each queue gets its own listeners. */
  online: browserOnline,
}

/** The fields `QueueInit` adds to `RequestInit`: the queue's own options for one request. */
export type QueueFields = Omit<QueueInit, keyof RequestInit>

/**
 * The options with every default filled in; `idempotencyHeader` and `idempotencyFormat` also as
 * `wire`.
 */
export interface Normalized extends Omit<typeof DEFAULTS, 'online'> {
  spool: DefinedSpool | undefined
  beforeSend: QueueOptions['beforeSend']
  online: OnlineSource
  follow: FollowJobs | undefined
  wire: KeyWire
}

const isNum = (v: unknown, min: number): v is number =>
  typeof v === 'number' && v >= min && !Number.isNaN(v)

function check<T>(name: string, value: T | undefined, ok: boolean, expected: string) {
  if (value !== undefined && !ok) throw optionError(name, expected, value)
}

/** Expands `retry: 3` and friends against the defaults. Throws a TypeError naming the option. */
export function normalizeRetry(
  retry: number | RetryPolicy | undefined,
  base: Policy,
  name = 'retry',
): Policy {
  if (retry === undefined) return base
  if (typeof retry === 'number') {
    check(name, retry, isNum(retry, 0), 'a number ≥ 0 or a retry policy')
    return { ...base, limit: retry }
  }
  if (typeof retry !== 'object' || retry === null)
    throw optionError(name, 'a number ≥ 0 or a retry policy', retry)
  const policy = { ...base }
  for (const key of ['limit', 'networkLimit', 'baseDelay', 'maxDelay', 'maxRetryAfter'] as const) {
    const v = retry[key]
    check(`${name}.${key}`, v, isNum(v, 0), 'a number ≥ 0')
    if (v !== undefined) policy[key] = v
  }
  if (retry.statuses !== undefined) {
    check(`${name}.statuses`, retry.statuses, Array.isArray(retry.statuses), 'an array of statuses')
    policy.statuses = retry.statuses
  }
  return policy
}

export function checkTimeout(timeout: unknown, name = 'timeout'): number | false | undefined {
  check(
    name,
    timeout,
    timeout === false || isNum(timeout, 1),
    'a number of milliseconds > 0 or false',
  )
  return timeout as number | false | undefined
}

const fn = (v: unknown) => typeof v === 'function'

/** An object whose every named field is a function. */
const has = (v: any, ...names: (string | symbol)[]) => !!v && names.every((n) => fn(v[n]))

/** What each option must be, in the order they are checked: the first bad one is named. */
const RULES: [name: keyof QueueOptions, test: (v: any) => boolean, expected: string][] = [
  ['transport', fn, 'a function'],
  ['beforeSend', fn, 'a function'],
  ['throwHttpErrors', (v) => typeof v === 'boolean', 'a boolean'],
  ['maxParallelReads', (v) => isNum(v, 1), 'a number ≥ 1'],
  ['maxParallel', (v) => isNum(v, 1), 'a number ≥ 1'],
  [
    'idempotency',
    (v) => ['same-origin', 'always', false].includes(v),
    "'same-origin', 'always' or false",
  ],
  ['idempotencyFormat', (v) => v === 'bare' || v === 'sf-string', "'bare' or 'sf-string'"],
  [
    'idempotencyHeader',
    (v) => typeof v === 'string' && TOKEN.test(v),
    'a header name (an HTTP token)',
  ],
  ['onFailure', (v) => v === 'continue' || v === 'pause', "'continue' or 'pause'"],
  [
    'spool',
    (v) => has(v, 'load', 'put', 'delete', ATTACH),
    'a spool from localStorageSpool(), memorySpool() or defineSpool()',
  ],
  ['online', (v) => has(v, 'isOnline', 'subscribe'), 'an online source (isOnline, subscribe)'],
  [
    'clock',
    (v) => has(v, 'now', 'setTimeout', 'clearTimeout'),
    'a clock (now, setTimeout, clearTimeout)',
  ],
  ['follow', fn, 'followJobs() from fetch-queue/jobs'],
]

/** The one normalization point: validates every option and fills in `DEFAULTS`. */
export function normalize(options: QueueOptions = {}): Normalized {
  const o = options
  const d = DEFAULTS
  for (const [name, test, expected] of RULES) {
    const value = o[name]
    if (value !== undefined && !test(value)) throw optionError(name, expected, value)
  }
  const filled: Record<string, unknown> = {
    spool: o.spool,
    beforeSend: o.beforeSend,
    follow: o.follow,
  }
  // Every option left out takes its default; those with more to check or build are redone below.
  for (const k in d) filled[k] = o[k as keyof typeof d] ?? d[k as keyof typeof d]
  const n = filled as unknown as Normalized
  n.retry = normalizeRetry(o.retry, d.retry)
  n.timeout = checkTimeout(o.timeout) ?? d.timeout
  n.online = o.online ?? d.online()
  n.wire = { name: n.idempotencyHeader.toLowerCase(), sf: n.idempotencyFormat === 'sf-string' }
  return n
}
