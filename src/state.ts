import type { Item } from './item.ts'
import { listeners } from './subscribable.ts'
import type { QueueSnapshot } from './types.ts'

/**
 * Change notification and the snapshot cache: `touch` marks a change (and the item whose public
 * info changed); listeners hear of changes at most once per microtask; the snapshot is rebuilt
 * only when asked for after a change (DESIGN §3: lazily, never once per change).
 */
export function changeState(build: () => QueueSnapshot) {
  const changes = listeners()
  let version = 0
  let built = -1
  let snapshot: QueueSnapshot | undefined
  let notifying = false

  return {
    touch(it?: Item) {
      if (it) it._info = undefined
      version++
      if (!notifying && changes.has()) {
        notifying = true
        queueMicrotask(() => {
          notifying = false
          changes.emit()
        })
      }
    },
    subscribe: changes.add,
    get(): QueueSnapshot {
      if (built !== version) {
        snapshot = build()
        built = version
      }
      return snapshot!
    },
    clear: changes.clear,
  }
}
