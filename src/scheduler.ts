import type { Item } from './item.ts'
import { createLane, type Lane, startRunnable } from './lane.ts'
import { insertBefore, push, remove } from './list.ts'

/**
 * The lanes of one queue, the order of their items, and the `maxParallel` cap across them
 * (DESIGN §2.9). Work in a lane is
 * started when something changes in that lane, so a queue with many lanes pays per change, not
 * per lane. When the cap binds, lanes wait in a heap ordered by their oldest runnable item, and
 * each free slot goes to the lane that has waited for the oldest item: no lane starves.
 */
export function createScheduler(o: {
  maxParallel: number
  maxParallelReads: number
  /** Requests in flight across all lanes. */
  busy(): number
  send(it: Item): void
}) {
  const lanes = new Map<string, Lane>()
  /** Items findable by id: those whose public info exists (see `info`). */
  const ids = new Map<string, Item>()
  const heap: Lane[] = []
  let seq = 0
  let size = 0

  const start = (it: Item) => {
    if (o.busy() >= o.maxParallel) return false
    o.send(it)
    return true
  }

  const before = (a: Lane, b: Lane) => a._since < b._since

  function park(lane: Lane, since: number) {
    lane._waiting = true
    lane._since = since
    let i = heap.push(lane) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(heap[i]!, heap[parent]!)) break
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  function pop(): Lane {
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length) {
      heap[0] = last
      for (let i = 0; ; ) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m]!, heap[i]!]
        i = m
      }
    }
    top._waiting = false
    return top
  }

  /** Starts what the lane's barrier allows; if the cap stops it, the lane waits its turn. */
  function run(lane: Lane) {
    if (lane._paused || lane._waiting) return
    const blocked = startRunnable(lane, o.maxParallelReads, start)
    if (blocked) park(lane, blocked._seq)
  }

  return {
    lanes,
    ids,
    /** Calls `fn` on every item, lane by lane; `fn` may take the item out. */
    each(fn: (it: Item) => void) {
      for (const lane of [...lanes.values()])
        for (let it = lane._head; it; ) {
          const next = it._next
          fn(it)
          it = next
        }
    },
    /** The lane of that name, made on first use. */
    lane(name: string): Lane {
      let lane = lanes.get(name)
      if (!lane) lanes.set(name, (lane = createLane(name, ids)))
      return lane
    },
    /** The next item's place in enqueue order, across lanes. */
    next: () => ++seq,
    /** Items in the lanes, settled or not. */
    get size() {
      return size
    },
    /** Appends an item to its lane. */
    add(it: Item) {
      push((it._home = this.lane(it.lane)), it)
      size++
    },
    /** Takes a settled item out of its lane, if it is still in it. */
    remove(it: Item) {
      const home = it._home!
      if (!remove(home, it)) return
      size--
      this.release(home)
    },
    /**
     * Puts restored items, oldest first, ahead of what each lane holds (`meanwhile`: the items
     * enqueued while the spool was read), keeping their order. Those continue the stored
     * sequence, so the next page still orders them after these when `at` ties (a fast reload, a
     * clock that did not move).
     */
    _putAhead(items: Item[], meanwhile: Item[]) {
      for (const it of items) if (it._seq > seq) seq = it._seq
      for (const it of meanwhile) it._seq = ++seq
      const firstNew = new Map<Lane, Item | undefined>()
      for (const it of items) {
        const home = (it._home = this.lane(it.lane))
        if (!firstNew.has(home)) firstNew.set(home, home._head)
        const ahead = firstNew.get(home)
        if (ahead) insertBefore(home, it, ahead)
        else push(home, it)
      }
      size += items.length
    },
    /** Appends items taken over later (another tab's), in their order, behind everything. */
    append(items: Item[]) {
      for (const it of items) {
        it._seq = ++seq
        this.add(it)
      }
    },
    /** Forgets an empty lane, unless it is paused (its pause must outlive its items). */
    release(lane: Lane) {
      if (!lane.size && !lane._paused && !lane._waiting) lanes.delete(lane.name)
    },
    /**
     * Something changed in `lane` (anywhere, without one), or a slot came free: start what may
     * start, oldest first.
     */
    pump(lane?: Lane) {
      while (heap.length && o.busy() < o.maxParallel) run(pop())
      if (lane) run(lane)
      else for (const l of lanes.values()) run(l)
    },
    clear() {
      heap.length = 0
      lanes.clear()
      ids.clear()
      size = 0
    },
  }
}

export type Scheduler = ReturnType<typeof createScheduler>
