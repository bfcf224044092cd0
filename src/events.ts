import type { QueueError, SpoolError } from './errors.ts'
import { type Listeners, listeners } from './subscribable.ts'
import type { ItemInfo } from './types.ts'

/** Every event the queue raises; each listener gets one object. */
export interface QueueEvents {
  sent: { item: ItemInfo; response: Response }
  failed: { item: ItemInfo; error: QueueError | Error }
  retrying: { item: ItemInfo; error: Error; delay: number }
  superseded: { item: ItemInfo; by: ItemInfo }
  restored: { items: ItemInfo[] }
  expired: { item: ItemInfo }
  spoolerror: { error: SpoolError; item?: ItemInfo }
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
