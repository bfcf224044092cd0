/**
 * `connecting`: no answer yet. `live`: the last poll succeeded, or the stream is open.
 * `retrying`: the last poll or connection failed; the next one is on its way. `paused`: polling
 * waits for the page to be visible again. `closed`: `close()` was called, the server answered
 * `204`, or a stream was refused with a 4xx.
 */
export type WatchStatus = 'connecting' | 'live' | 'retrying' | 'paused' | 'closed'

/** What a watch shows. Immutable, and the same object until something changes. */
export interface WatchSnapshot<T> {
  /** The last good data; kept while later polls fail. Undefined until the first. */
  readonly data: T | undefined
  /** Why the last poll, connection, parse or `reduce` failed; cleared by the next success. */
  readonly error: Error | undefined
  readonly status: WatchStatus
  /** When `data` last changed (clock milliseconds). A `304` or equal data leaves it as it is. */
  readonly updatedAt: number | undefined
}

type State<T> = { -readonly [K in keyof WatchSnapshot<T>]: WatchSnapshot<T>[K] }

/** The store under a watch: state, lazy snapshot, batched listeners and the async iterator. */
export function createStore<T>() {
  const state: State<T> = {
    data: undefined,
    error: undefined,
    status: 'connecting',
    updatedAt: undefined,
  }
  const listeners = new Set<() => void>()
  // Settles at the next change; every waiting iterator awaits the same promise.
  let wake!: () => void
  const change = () => new Promise<void>((resolve) => (wake = resolve))
  let next = change()
  let snapshot: WatchSnapshot<T> | undefined
  let notifying = false
  // Counts changes of `data`, so an iterator yields each new value once.
  let version = 0

  return {
    state: state as Readonly<State<T>>,
    /** Applies what differs and notifies once per microtask. Nothing differs: nothing happens. */
    set(patch: Partial<State<T>>) {
      let changed = false
      for (const key in patch) {
        const k = key as keyof State<T>
        if (!Object.is(patch[k], state[k])) {
          changed = true
          if (k === 'data') version++
          ;(state as Record<string, unknown>)[k] = patch[k]
        }
      }
      if (!changed) return
      snapshot = undefined
      wake()
      next = change()
      if (notifying || !listeners.size) return
      notifying = true
      queueMicrotask(() => {
        notifying = false
        for (const listener of listeners) {
          // A throwing listener must not keep the others from hearing the change.
          try {
            listener()
          } catch (error) {
            queueMicrotask(() => {
              throw error
            })
          }
        }
      })
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getSnapshot(): WatchSnapshot<T> {
      // Built only when asked for after a change, never once per change.
      return (snapshot ??= Object.freeze({ ...state }))
    },
    async *values(): AsyncGenerator<T, void, undefined> {
      let seen = 0
      for (;;) {
        if (seen !== version) {
          seen = version
          yield state.data as T
        } else if (state.status === 'closed') return
        else await next
      }
    },
  }
}

export type Store<T> = ReturnType<typeof createStore<T>>
