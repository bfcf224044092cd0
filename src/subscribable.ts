/**
 * The one listener core under `subscribe`, `on` and `whenIdle`: a set of listeners, each called
 * in isolation. A listener that throws cannot break the queue or keep the others from hearing:
 * its error is rethrown on its own, where the app's error reporting sees it.
 */
export function listeners<A = void>() {
  const set = new Set<(arg: A) => void>()
  return {
    add(listener: (arg: A) => void): () => void {
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    has: (): boolean => set.size > 0,
    /** The argument of the next `emit`. */
    next(): Promise<A> {
      return new Promise((resolve) => {
        const off = this.add((arg) => {
          off()
          resolve(arg)
        })
      })
    },
    emit(arg: A): void {
      for (const listener of set) {
        try {
          listener(arg)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear: () => set.clear(),
  }
}

export type Listeners<A = void> = ReturnType<typeof listeners<A>>
