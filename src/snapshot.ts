import { type Item, info } from './item.ts'
import type { ItemInfo, QueueSnapshot } from './types.ts'

export interface SnapshotState {
  online: boolean
  paused: boolean
  restoring: boolean
}

/** Builds the immutable snapshot; the queue calls it lazily, only when asked after a change. */
export function buildSnapshot(head: Item | undefined, s: SnapshotState): QueueSnapshot {
  const items: ItemInfo[] = []
  let sending = false
  for (let it = head; it; it = it.next) {
    items.push(info(it))
    if (it.state === 'sending') sending = true
  }
  return Object.freeze({
    items: Object.freeze(items),
    pending: items.length,
    online: s.online,
    paused: s.paused,
    restoring: s.restoring,
    // Never idle while the spool is read: "All changes saved" must not show over unsaved work.
    status: s.paused
      ? 'paused'
      : s.restoring
        ? 'busy'
        : !items.length
          ? 'idle'
          : sending && s.online
            ? 'busy'
            : 'waiting',
  })
}
