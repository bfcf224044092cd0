/**
 * A queue or a watch as a Svelte store. The store contract (`subscribe(run)` calls `run` at once
 * with the current value and on every change, and returns the unsubscribe function) is also what
 * Solid's `from()` takes, so the same function serves both.
 *
 * @example
 * ```svelte
 * <script>
 *   import { toReadable } from 'fetch-queue/svelte'
 *   const pending = toReadable(queue, (s) => s.pending)
 * </script>
 * {$pending} changes pending
 * ```
 */

/** Anything with a queue's store shape: a queue, a watch, or your own. */
export interface SnapshotSource<S> {
  /** Calls the listener after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current value, the same object until something changes. */
  getSnapshot(): S
}

/** The Svelte store contract, as `svelte/store`'s `Readable` and Solid's `from()` read it. */
export interface Readable<T> {
  /** Calls the listener after changes; returns the unsubscribe function. */
  subscribe(run: (value: T) => void): () => void
}

/**
 * A readable store of `source`'s snapshot, or of the slice `selector` picks from it. Each
 * subscriber hears the current value at once and then each change of the slice by `isEqual`
 * (default `Object.is`); the source is subscribed to only while someone listens.
 *
 * @example
 * ```ts
 * const status = toReadable(queue, (s) => s.status)
 * const data = toReadable(statsWatch, (s) => s.data)
 * const signal = from(toReadable(queue)) // Solid
 * ```
 */
export function toReadable<S>(source: SnapshotSource<S>): Readable<S>
export function toReadable<S, T>(
  source: SnapshotSource<S>,
  selector: (snapshot: S) => T,
  isEqual?: (a: T, b: T) => boolean,
): Readable<T>
export function toReadable<S, T>(
  source: SnapshotSource<S>,
  selector: (snapshot: S) => T = (s) => s as unknown as T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): Readable<T> {
  if (typeof source?.subscribe !== 'function' || typeof source.getSnapshot !== 'function')
    throw new TypeError(
      `fetch-queue: toReadable expects a queue or a watch (subscribe and getSnapshot), got ${String(source)}`,
    )
  return {
    /** Calls the listener after changes; returns the unsubscribe function. */
    subscribe(run) {
      let last = source.getSnapshot()
      let value = selector(last)
      run(value)
      return source.subscribe(() => {
        const snapshot = source.getSnapshot()
        if (snapshot === last) return
        last = snapshot
        const next = selector(snapshot)
        if (!isEqual(value, next)) run((value = next))
      })
    },
  }
}
