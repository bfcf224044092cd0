/** A value that survives `JSON.stringify` and back: what `meta` may hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue | undefined }

/** Reads run side by side between writes; writes run one at a time, in order. */
export type Kind = 'read' | 'write'

/**
 * What the transport receives: a plain object, not a `Request` (building one costs ~27 µs). It
 * also carries the init fields the queue does not know (Node's `dispatcher`, Next.js's `next`,
 * Cloudflare's `cf`, `duplex`), so `fetch(request.url, request)` passes them on; those are never
 * stored in the spool.
 */
export interface QueueRequest extends Omit<RequestInit, 'headers' | 'method' | 'signal'> {
  /** Absolute URL. */
  url: string
  method: string
  /** Built when first read, once per attempt; an own property, so a spread keeps it. */
  headers: Headers
  /** A getter (its controller is made only when read): a spread drops it, pass `ctx.signal`. */
  signal: AbortSignal
}

/**
 * How failed attempts are retried. Every field is optional; `retry: 3` is `{ limit: 3 }`.
 * Default `{ limit: 5, networkLimit: Infinity, baseDelay: 1000, maxDelay: 30_000,
 * maxRetryAfter: 300_000, statuses: [408, 425, 429, 500, 502, 503, 504] }`.
 */
export interface RetryPolicy {
  /** How many times a retryable status is retried. Default 5. `retry: 0` turns status retries off. */
  limit?: number
  /** How many times a connection failure is retried. Default `Infinity`: a write waits for the network. */
  networkLimit?: number
  /** Milliseconds. Default 1000. The n-th retry waits random(0, min(maxDelay, baseDelay * 2 ** n)). */
  baseDelay?: number
  /** Milliseconds. Default 30 000. */
  maxDelay?: number
  /** Cap on a server's `Retry-After`, in milliseconds. Default 300 000 (5 min). */
  maxRetryAfter?: number
  /** Statuses that are retried. Default [408, 425, 429, 500, 502, 503, 504]. */
  statuses?: number[]
}

/** Time, injectable so tests can use fake timers. The default reads the globals at call time. */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number
  /** Calls `fn` after `ms` milliseconds; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown
  /** Cancels a timer set by this clock. */
  clearTimeout(handle: unknown): void
}

/**
 * Tells the queue when the connection comes back. `onChange(true)` also means "try now": the
 * default source calls it on `online` and when the page becomes visible again.
 */
export interface OnlineSource {
  /** Whether the network is believed up. Default source: `navigator.onLine`, true when it cannot say. */
  isOnline(): boolean
  /** Calls `onChange` on every change (and on "try now"); returns the unsubscribe function. */
  subscribe(onChange: (online: boolean) => void): () => void
}

/**
 * Where an item is: waiting its turn, on the wire, waiting for a retry, a `202 Accepted` job being
 * followed (`fetch-queue/jobs`), or failed (parked).
 */
export type ItemState = 'queued' | 'sending' | 'retrying' | 'accepted' | 'failed'

/** Public, immutable information about one item. */
export interface ItemInfo {
  readonly id: string
  /** The lane it is in (DESIGN §2.9); `''` is the default lane. */
  readonly lane: string
  readonly method: string
  readonly url: string
  readonly kind: Kind
  readonly state: ItemState
  /** Attempts started so far. */
  readonly attempts: number
  /** When a retrying item will next be tried (clock milliseconds). */
  readonly nextAttemptAt: number | undefined
  /** The last failure, while retrying or failed. */
  readonly error: Error | undefined
  readonly meta: JsonValue | undefined
  readonly enqueuedAt: number
  /** True when the item is safely in the spool and survives a reload. */
  readonly durable: boolean
  /** While its `202 Accepted` job is followed (`fetch-queue/jobs`): the status URL it polls. */
  readonly location?: string | undefined
}

/** The one-word summary of a snapshot; see `QueueSnapshot.status`. */
export type QueueStatus = 'idle' | 'busy' | 'waiting' | 'paused'

/** Immutable state of the queue, from `getSnapshot()`; the same object until something changes. */
export interface QueueSnapshot {
  /** Every queued, sending, retrying, accepted or failed item, in queue order. */
  readonly items: readonly ItemInfo[]
  readonly pending: number
  readonly online: boolean
  readonly paused: boolean
  /** True until the spool has been read; the status is never `idle` meanwhile. */
  readonly restoring: boolean
  /**
   * `idle`: nothing pending. `busy`: a request is on the wire or about to be.
   * `waiting`: items are pending but blocked (offline, backing off, or parked on a failure).
   * `paused`: `pause()` was called.
   */
  readonly status: QueueStatus
}

/** A retry policy with every field set, as `normalize()` leaves it. */
export type Policy = Required<RetryPolicy>

/**
 * How far one attempt's upload or download has got, as a transport reports it through
 * `context.progress` (`fetch-queue/xhr` does).
 */
export interface TransferProgress {
  direction: 'upload' | 'download'
  /** Bytes sent or received so far in this attempt. */
  loaded: number
  /** Bytes in all, or undefined when unknown (a response without `Content-Length`). */
  total: number | undefined
}

/** What a transport gets beside the request: one object per attempt. */
export interface TransportContext {
  /** Aborts on timeout, on the caller's signal, on dedupe of a read, and on `dispose()`. */
  signal: AbortSignal
  /** 1 for the first attempt. */
  attempt: number
  item: ItemInfo
  /**
   * Reports upload or download progress; the queue raises it, throttled, as a `progress` event.
   * Call it as a method (`context.progress?.(p)`). A transport made for another caller may find
   * it missing.
   */
  progress?(progress: TransferProgress): void
}

/** Sends one request. The default is `globalThis.fetch(request.url, request)`, read at call time. */
export type Transport = (request: QueueRequest, context: TransportContext) => Promise<Response>
