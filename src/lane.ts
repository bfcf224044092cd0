import type { Item, Lane } from './item.ts'

export type { Lane }

export const createLane = (name: string, ids: Map<string, Item>): Lane => ({
  name,
  _ids: ids,
  _head: undefined,
  _tail: undefined,
  size: 0,
  _reads: 0,
  _paused: false,
  _waiting: false,
  _since: 0,
})

/**
 * The readers–writer barrier (DESIGN §2.2), scanning from the head: a write starts only when it
 * is the head (everything before it has settled); a read starts when no write is before it,
 * while fewer than `maxReads` reads are in flight. A failed item parked at its place blocks
 * what follows it. `start` returns false when there is no free slot: then this returns the item
 * that could have started, so the lane can wait its turn.
 */
export function startRunnable(
  lane: Lane,
  maxReads: number,
  start: (it: Item) => boolean,
): Item | undefined {
  for (let it = lane._head; it; it = it._next) {
    if (it.kind === 'write') {
      if (it === lane._head && it.state === 'queued' && !start(it)) return it
      return
    }
    if (it.state === 'queued') {
      if (lane._reads >= maxReads) return
      if (!start(it)) return it
    } else if (it.state === 'failed') return
  }
}
