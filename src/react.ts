'use client'
/**
 * React hooks over a queue's (or a watch's) `subscribe` / `getSnapshot`, built on
 * `useSyncExternalStore`: a component re-renders only when the slice it selects changes.
 *
 * @example
 * ```tsx
 * import { useQueueSnapshot } from 'fetch-queue/react'
 *
 * function Pending({ queue }: { queue: FetchQueue }) {
 *   const pending = useQueueSnapshot(queue, (s) => s.pending)
 *   return <span>{pending} changes pending</span>
 * }
 * ```
 */
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react'
import type { FetchQueue } from './api.ts'
import type { ItemInfo, QueueSnapshot } from './types.ts'

/** Anything with a queue's store shape: `subscribe(listener) → unsubscribe` and `getSnapshot()`. */
export interface Store<S> {
  /** Calls the listener after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** The current value, the same object until something changes. */
  getSnapshot(): S
}

/** What the hooks read of a queue; `undefined` or `null` while there is none yet. */
export type QueueLike = Store<QueueSnapshot> | null | undefined

/** The store shape of `fetch-queue/watch`, and of anything built like it. */
export interface WatchSnapshot<D = unknown> {
  readonly data: D | undefined
  readonly error: unknown
  readonly status: 'connecting' | 'live' | 'retrying' | 'paused' | 'closed'
  readonly updatedAt: number | undefined
}

/**
 * What the server renders, and what the browser renders while hydrating, so the two agree: no
 * items and `restoring: true`, since the server cannot see what the browser has stored. It is
 * never `idle`, as a queue never is while restoring, so no page says "All changes saved" over
 * writes it has not read yet.
 */
const SERVER: QueueSnapshot & { readonly restoring: true } = Object.freeze({
  items: Object.freeze([]),
  pending: 0,
  online: true,
  paused: false,
  status: 'busy',
  restoring: true,
})

/** A watch before its first answer: what the server renders for one. */
const WATCH_SERVER: WatchSnapshot<never> = Object.freeze({
  data: undefined,
  error: undefined,
  status: 'connecting',
  updatedAt: undefined,
})

const identity = <T>(value: T): T => value
const noop = () => {}

/**
 * True when `a` and `b` are the same value, or objects (arrays included) whose own keys hold the
 * same values. Pass it as `isEqual` when a selector builds a fresh array or object.
 *
 * @example
 * ```ts
 * const failed = useQueueSnapshot(queue, (s) => s.items.filter((i) => i.state === 'failed'), shallowEqual)
 * ```
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) =>
      Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  )
}

function useStore<S, T>(
  store: Store<S> | null | undefined,
  server: S,
  selector: (snapshot: S) => T,
  isEqual: (a: T, b: T) => boolean,
): T {
  if (store && (typeof store.subscribe !== 'function' || typeof store.getSnapshot !== 'function'))
    throw new TypeError(
      `fetch-queue: expected a queue or a watch (subscribe and getSnapshot), got ${String(store)}`,
    )
  // The last snapshot, the selector that read it and what it gave: while neither changes, the
  // same value comes back, which useSyncExternalStore requires of getSnapshot. A new result the
  // selector deems equal to the last keeps the last, so a fresh array does not re-render.
  const memo = useRef<{ s: S; f: unknown; v: T }>(undefined)
  const select = (s: S): T => {
    const m = memo.current
    if (m && m.s === s && m.f === selector) return m.v
    const v = selector(s)
    memo.current = { s, f: selector, v: m && isEqual(m.v, v) ? m.v : v }
    return memo.current.v
  }
  const subscribe = useCallback(
    (onChange: () => void) => (store ? store.subscribe(onChange) : noop),
    [store],
  )
  return useSyncExternalStore(
    subscribe,
    () => select(store ? store.getSnapshot() : server),
    () => select(server),
  )
}

/**
 * The queue's snapshot, or the slice `selector` picks from it. The component re-renders only when
 * that slice changes by `isEqual` (default `Object.is`; pass `shallowEqual` for a selector that
 * builds arrays or objects). Without a queue (`undefined`, e.g. before an effect created it), and
 * on the server, it reads a frozen snapshot with no items and `restoring: true`.
 *
 * @example
 * ```ts
 * const snapshot = useQueueSnapshot(queue)
 * const pending = useQueueSnapshot(queue, (s) => s.pending)
 * ```
 */
export function useQueueSnapshot(queue: QueueLike): QueueSnapshot
export function useQueueSnapshot<T>(
  queue: QueueLike,
  selector: (snapshot: QueueSnapshot) => T,
  isEqual?: (a: T, b: T) => boolean,
): T
export function useQueueSnapshot<T>(
  queue: QueueLike,
  selector: (snapshot: QueueSnapshot) => T = identity as (s: QueueSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  return useStore(queue, SERVER, selector, isEqual)
}

/** One item of the queue, with the two decisions a user can make about it. */
export interface QueueItem {
  /** Its public info, or `undefined` when no pending item has that id (sent, discarded, unknown). */
  readonly item: ItemInfo | undefined
  /** `queue.retry(id)`: sends a failed item again, or a backing-off one now. */
  retry(): void
  /** `queue.discard(id)`: drops the item ("give up"). False when it was no longer pending. */
  discard(): boolean
}

const index = new WeakMap<QueueSnapshot, Map<string, ItemInfo>>()

// One map per snapshot, shared by every row: a list of n rows costs O(n) per change, not O(n²).
function lookup(snapshot: QueueSnapshot, id: string): ItemInfo | undefined {
  let byId = index.get(snapshot)
  if (!byId) index.set(snapshot, (byId = new Map(snapshot.items.map((item) => [item.id, item]))))
  return byId.get(id)
}

/**
 * The item `id` and its `retry()` / `discard()`. The component re-renders only when that item
 * changes (its fields compared one by one), not when other items do. `id` may be `undefined`,
 * e.g. while the row does not know its item yet: then `item` is `undefined` and both calls do
 * nothing.
 *
 * @example
 * ```tsx
 * function Row({ queue, id }: { queue: FetchQueue; id: string }) {
 *   const { item, retry, discard } = useQueueItem(queue, id)
 *   if (item?.state !== 'failed') return null
 *   return <><button onClick={retry}>Retry</button> · <button onClick={discard}>Give up</button></>
 * }
 * ```
 */
export function useQueueItem(
  queue: (QueueLike & Pick<FetchQueue, 'retry' | 'discard'>) | null | undefined,
  id: string | undefined,
): QueueItem {
  const select = useCallback(
    (s: QueueSnapshot) => (id === undefined ? undefined : lookup(s, id)),
    [id],
  )
  const item = useStore(queue, SERVER, select, shallowEqual)
  return useMemo(
    () => ({
      item,
      retry() {
        if (queue && id !== undefined) queue.retry(id)
      },
      discard: () => !!queue && id !== undefined && queue.discard(id),
    }),
    [queue, id, item],
  )
}

/**
 * A watch's snapshot (`{ data, error, status, updatedAt }`, from `fetch-queue/watch` or any store
 * of that shape), or the slice `selector` picks from it, re-rendering only when that slice changes
 * by `isEqual` (default `Object.is`). On the server, and while hydrating, it reads
 * `{ status: 'connecting' }` with no data, so the server's HTML and the first render agree.
 *
 * @example
 * ```ts
 * const stats = useWatch(statsWatch, (s) => s.data)
 * ```
 */
export function useWatch<S extends WatchSnapshot>(watch: Store<S> | null | undefined): S
export function useWatch<S extends WatchSnapshot, T>(
  watch: Store<S> | null | undefined,
  selector: (snapshot: S) => T,
  isEqual?: (a: T, b: T) => boolean,
): T
export function useWatch<S extends WatchSnapshot, T>(
  watch: Store<S> | null | undefined,
  selector: (snapshot: S) => T = identity as (s: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  return useStore(watch, WATCH_SERVER as unknown as S, selector, isEqual)
}
