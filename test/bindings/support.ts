/** Helpers shared by the framework bindings' tests. */
import type { FetchQueue } from '../../src/index.ts'
import type { QueueSnapshot } from '../../src/types.ts'

export interface Counted<Q> {
  /** The same store, with `subscribe` counted. */
  store: Q
  /** Subscriptions made and not yet ended. */
  readonly live: number
  /** Subscriptions ever made. */
  readonly made: number
}

/** Wraps a queue (or any store) so a test can see how many subscriptions a binding holds. */
export function counted<Q extends Pick<FetchQueue, 'subscribe'>>(queue: Q): Counted<Q> {
  let live = 0
  let made = 0
  const store = Object.create(queue) as Q
  store.subscribe = (listener) => {
    made++
    live++
    const stop = queue.subscribe(listener)
    let done = false
    return () => {
      if (done) return
      done = true
      live--
      stop()
    }
  }
  return {
    store,
    get live() {
      return live
    },
    get made() {
      return made
    },
  }
}

/** `restoring` as the snapshot carries it (the type may not name it yet). */
export const restoring = (s: QueueSnapshot) => (s as { restoring?: boolean }).restoring

export interface TestWatchSnapshot {
  readonly data: unknown
  readonly error: unknown
  readonly status: 'connecting' | 'live' | 'retrying' | 'paused' | 'closed'
  readonly updatedAt: number | undefined
}

/**
 * A store of `fetch-queue/watch`'s shape that the test drives: `set` replaces the snapshot and
 * notifies, as a watch does when new data arrives.
 */
export function testWatch(initial: Partial<TestWatchSnapshot> = {}) {
  let snapshot: TestWatchSnapshot = Object.freeze({
    data: undefined,
    error: undefined,
    status: 'connecting',
    updatedAt: undefined,
    ...initial,
  })
  const listeners = new Set<() => void>()
  return {
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getSnapshot: () => snapshot,
    set(next: Partial<TestWatchSnapshot>) {
      snapshot = Object.freeze({ ...snapshot, ...next })
      for (const l of [...listeners]) l()
    },
    get listeners() {
      return listeners.size
    },
  }
}
