/**
 * A Vue composable over a queue's `subscribe` / `getSnapshot`: the snapshot, or a slice of it, as
 * a readonly `shallowRef` that changes only when that slice does.
 *
 * @example
 * ```ts
 * import { useQueueSnapshot } from 'fetch-queue/vue'
 *
 * const pending = useQueueSnapshot(queue, (s) => s.pending) // in setup(): pending.value
 * ```
 */
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowReadonly, shallowRef } from 'vue'
import type { QueueSnapshot } from './types.ts'

/** What the composable reads of a queue: `subscribe(listener) → unsubscribe` and `getSnapshot()`. */
export interface QueueStore {
  /** Calls the listener after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current value, the same object until something changes. */
  getSnapshot(): QueueSnapshot
}

/**
 * The queue's snapshot, or the slice `selector` picks from it, as a readonly `shallowRef`. The
 * ref is set only when the slice changes by `isEqual` (default `Object.is`), so a computed or a
 * template that reads it re-runs only then. Call it in `setup()` (or inside an `effectScope()`):
 * the subscription ends with that scope (`onScopeDispose`). Called outside any scope, it throws a
 * `TypeError` rather than subscribe for ever.
 *
 * @example
 * ```ts
 * const snapshot = useQueueSnapshot(queue) // snapshot.value.status
 * const failed = useQueueSnapshot(queue, (s) => s.items.filter((i) => i.state === 'failed').length)
 * ```
 */
export function useQueueSnapshot(queue: QueueStore): Readonly<ShallowRef<QueueSnapshot>>
export function useQueueSnapshot<T>(
  queue: QueueStore,
  selector: (snapshot: QueueSnapshot) => T,
  isEqual?: (a: T, b: T) => boolean,
): Readonly<ShallowRef<T>>
export function useQueueSnapshot<T>(
  queue: QueueStore,
  selector: (snapshot: QueueSnapshot) => T = (s) => s as T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): Readonly<ShallowRef<T>> {
  if (typeof queue?.subscribe !== 'function' || typeof queue.getSnapshot !== 'function')
    throw new TypeError(
      `fetch-queue: useQueueSnapshot expects a queue (subscribe and getSnapshot), got ${String(queue)}`,
    )
  if (!getCurrentScope())
    throw new TypeError(
      'fetch-queue: useQueueSnapshot must be called in setup() or an effectScope(), which ends its subscription',
    )
  const state = shallowRef(selector(queue.getSnapshot()))
  onScopeDispose(
    // The queue notifies only after a change, and the change makes a new snapshot.
    queue.subscribe(() => {
      const next = selector(queue.getSnapshot())
      if (!isEqual(state.value, next)) state.value = next
    }),
  )
  return shallowReadonly(state)
}
