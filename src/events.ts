import type { QueueError, SpoolError } from './errors.ts'
import { type Listeners, listeners } from './subscribable.ts'
import type { ItemInfo, TransferProgress } from './types.ts'

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
  /**
   * A write was answered `202 Accepted` and its job is now followed at `location`, the status URL
   * (`fetch-queue/jobs`). Its callers get the job's result; `sent` or `failed` follows.
   */
  accepted: { item: ItemInfo; location: string }
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

/** A typed map from event name to its listeners, on the listener core. */
export function emitter<E>() {
  const map = new Map<keyof E, Listeners<never>>()
  return {
    on<K extends keyof E>(name: K, listener: (event: E[K]) => void): () => void {
      let set = map.get(name) as Listeners<E[K]> | undefined
      if (!set) map.set(name, (set = listeners<E[K]>()) as Listeners<never>)
      return set.add(listener)
    },
    has: (name: keyof E): boolean => !!map.get(name)?.has(),
    emit<K extends keyof E>(name: K, event: E[K]): void {
      ;(map.get(name) as Listeners<E[K]> | undefined)?.emit(event)
    },
    clear: () => map.clear(),
  }
}

export type Emitter<E> = ReturnType<typeof emitter<E>>
