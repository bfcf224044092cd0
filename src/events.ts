/** A tiny typed emitter. A listener that throws cannot break the queue: its error is rethrown on its own. */
export function emitter<E>() {
  const map = new Map<keyof E, Set<(event: never) => void>>()
  return {
    on<K extends keyof E>(name: K, listener: (event: E[K]) => void): () => void {
      let set = map.get(name)
      if (!set) map.set(name, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    has: (name: keyof E): boolean => !!map.get(name)?.size,
    emit<K extends keyof E>(name: K, event: E[K]): void {
      for (const listener of map.get(name) ?? []) {
        try {
          ;(listener as (e: E[K]) => void)(event)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear: () => map.clear(),
  }
}

export type Emitter<E> = ReturnType<typeof emitter<E>>
