import type { QueueError, SpoolError } from './errors.ts'

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

/** What the transport receives: a plain object, not a `Request` (building one costs ~27 µs). */
export interface QueueRequest extends Omit<RequestInit, 'headers' | 'method' | 'signal'> {
  /** Absolute URL. */
  url: string
  method: string
  headers: Headers
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

/** Where an item is: waiting its turn, on the wire, waiting for a retry, or failed (parked). */
export type ItemState = 'queued' | 'sending' | 'retrying' | 'failed'

/** Public, immutable information about one item. */
export interface ItemInfo {
  readonly id: string
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
}

/** The one-word summary of a snapshot; see `QueueSnapshot.status`. */
export type QueueStatus = 'idle' | 'busy' | 'waiting' | 'paused'

/** Immutable state of the queue, from `getSnapshot()`; the same object until something changes. */
export interface QueueSnapshot {
  /** Every queued, sending, retrying or failed item, in queue order. */
  readonly items: readonly ItemInfo[]
  readonly pending: number
  readonly online: boolean
  readonly paused: boolean
  /**
   * `idle`: nothing pending. `busy`: a request is on the wire or about to be.
   * `waiting`: items are pending but blocked (offline, backing off, or parked on a failure).
   * `paused`: `pause()` was called.
   */
  readonly status: QueueStatus
}

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

/**
 * The events of `queue.on(name, listener)`, by name. Each listener gets one object; an event about
 * one item carries its `item` (public info, `meta` included).
 */
export interface QueueEvents {
  /** An item was delivered. `response` is a clone when a caller gets the response too. */
  sent: { item: ItemInfo; response: Response }
  /** An item failed for good (with `onFailure: 'pause'`, a write stays parked as `failed`). */
  failed: { item: ItemInfo; error: QueueError | Error }
  /** An attempt failed and the item will be tried again after `delay` ms. */
  retrying: { item: ItemInfo; error: Error; delay: number }
  /** Dedupe replaced `item` with the newer `by`; its callers get `by`'s outcome. */
  superseded: { item: ItemInfo; by: ItemInfo }
  /** Stored items were restored from the spool at start; their outcomes arrive as events. */
  restored: { items: ItemInfo[] }
  /** A stored item was older than the spool's `maxAge` and was not sent. */
  expired: { item: ItemInfo }
  /** The spool could not store, load or delete something. No write is lost. */
  spoolerror: { error: SpoolError; item?: ItemInfo }
  /**
   * An attempt's transfer moved on: at most one per ~100 ms per item and direction, and always
   * the last one (`loaded === total`). Never a snapshot change. Only transports that report
   * progress raise it: `xhrTransport()` does, `fetch` cannot.
   */
  progress: { item: ItemInfo } & TransferProgress
}
