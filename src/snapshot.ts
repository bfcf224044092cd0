import { type Item, info } from './item.ts'
import type { Lane } from './lane.ts'
import type { ItemInfo, QueueSnapshot } from './types.ts'

export interface SnapshotState {
  online: boolean
  paused: boolean
  restoring: boolean
}

/** Every item of every lane, in enqueue order: one lane is already in order, more are merged. */
function ordered(lanes: Map<string, Lane>): Item[] {
  const all: Item[] = []
  for (const lane of lanes.values()) for (let it = lane._head; it; it = it._next) all.push(it)
  if (lanes.size > 1) all.sort((a, b) => a._seq - b._seq)
  return all
}

/** Builds the immutable snapshot; the queue calls it lazily, only when asked after a change. */
export function buildSnapshot(lanes: Map<string, Lane>, s: SnapshotState): QueueSnapshot {
  const items: ItemInfo[] = []
  let sending = false
  for (const it of ordered(lanes)) {
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
