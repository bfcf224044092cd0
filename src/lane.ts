import type { Item } from './item.ts'
import type { List } from './list.ts'

/** One ordered lane: its items in enqueue order and the reads it has in flight. */
export interface Lane extends List<Item> {
  reads: number
}

export const createLane = (): Lane => ({ head: undefined, tail: undefined, size: 0, reads: 0 })

/**
 * The readers–writer barrier (DESIGN §2.2), scanning from the head: a write starts only when it
 * is the head (everything before it has settled); a read starts when no write is before it,
 * while fewer than `maxReads` reads are in flight. A failed item parked at its place blocks
 * what follows it.
 */
export function startRunnable(lane: Lane, maxReads: number, start: (it: Item) => void): void {
  for (let it = lane.head; it; it = it.next) {
    if (it.kind === 'write') {
      if (it === lane.head && it.state === 'queued') start(it)
      return
    }
    if (it.state === 'queued') {
      if (lane.reads >= maxReads) return
      start(it)
    } else if (it.state === 'failed') return
  }
}
