import type { AsFetchOptions } from './as-fetch.ts'
import type { QueueEvents } from './events.ts'
import type { QueueInit } from './options.ts'
import type { QueueSnapshot } from './types.ts'

/** The object `createQueue` returns. */
export interface FetchQueue {
  /** Queues a request. Same signature as `fetch`, plus the fields of `QueueInit`. */
  fetch(input: RequestInfo | URL, init?: QueueInit): Promise<Response>
  /**
   * A plain `typeof fetch` over the queue, for HTTP clients (`ky.create({ fetch })`, ofetch's
   * `createFetch({ fetch })`, openapi-fetch, wretch, up-fetch). It reads only standard
   * `RequestInit` fields, so a client's own options are never read as the queue's; the queue's
   * per-request options are given here, once, or as a function of the call. A response of any
   * status resolves, as with `fetch` (default `throwHttpErrors: false`).
   *
   * @example
   * const api = ky.create({ prefixUrl: '/api', fetch: queue.asFetch({ dedupe: true }), retry: 0 })
   */
  asFetch(options?: AsFetchOptions): typeof fetch
  /** Calls `listener` after changes, at most once per microtask. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** An immutable snapshot, the same object until something changes (fits `useSyncExternalStore`). */
  getSnapshot(): QueueSnapshot
  /**
   * Listens to one of the typed `QueueEvents`. Returns the unsubscribe function. A listener that
   * throws cannot break the queue: its error is rethrown on its own.
   */
  on<K extends keyof QueueEvents>(event: K, listener: (event: QueueEvents[K]) => void): () => void
  /**
   * Starts nothing new until `resume()`: in one lane, or without an argument in the whole queue.
   * Requests already on the wire finish.
   */
  pause(lane?: string): void
  /** Undoes `pause(lane?)`. */
  resume(lane?: string): void
  /** Retries a failed or backing-off item now. Without an id, wakes every item waiting on a backoff. */
  retry(id?: string): void
  /** Drops an item. Returns false when no pending item has that id. */
  discard(id: string): boolean
  /** Drops every pending item and wipes the spool: the logout path. */
  clear(): Promise<void>
  /** Resolves when nothing is queued, in flight or still to be restored. */
  whenIdle(): Promise<void>
  /** Resolves once stored items have been restored. */
  readonly ready: Promise<void>
  /** Detaches listeners, stops timers and rejects pending promises with `QueueClosedError`. */
  dispose(): void
}
