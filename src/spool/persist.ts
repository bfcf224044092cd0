import { canReplace, dedupeKey } from '../dedupe.ts'
import { isSpoolError, SpoolError } from '../errors.ts'
import { noop } from '../http.ts'
import { type Item, info } from '../item.ts'
import { fromRecord, toRecord } from './record.ts'
import type { Persistence, PersistHost, Spool, SpoolLoad } from './types.ts'

/**
 * Keeps the spool in step with the queue: reads it once at start and hands the queue what it
 * restores, stores each write before its first attempt (those enqueued while reading, once it is
 * read), deletes it once settled, and hands over what the spool takes over later. A spool failure never loses a write: it raises `spoolerror` and the item goes
 * on from memory with `durable: false`.
 */
export function persistence(spool: Spool, host: PersistHost): Persistence {
  const { events } = host

  function failed(error: unknown, it?: Item) {
    const e = isSpoolError(error)
      ? error
      : new SpoolError('failed', 'The spool failed', { cause: error })
    if (it) {
      it.durable = false
      host._touch(it)
    }
    events.emit('spoolerror', it ? { error: e, item: info(it) } : { error: e })
  }

  /** Runs a spool call that may be sync or async; a failure of either kind is reported. */
  function call(run: () => unknown, it?: Item): Promise<unknown> | undefined {
    try {
      const r = run() as Promise<unknown> | undefined
      if (r && typeof r.then === 'function') return r.then(noop, (e) => failed(e, it))
    } catch (e) {
      failed(e, it)
    }
  }

  function storeNow(it: Item): Promise<unknown> | undefined {
    let record: ReturnType<typeof toRecord>
    try {
      record = toRecord(it, host.mint, spool.redactHeaders)
    } catch (e) {
      failed(e, it)
      return
    }
    it._stored = it.durable = true
    return call(() => spool.put(record), it)
  }

  function store(it: Item) {
    // A Request's body is read asynchronously: store once it is there.
    it._pending = it._pending
      ? it._pending.then(() => (it._done ? undefined : storeNow(it)))
      : storeNow(it)
  }

  /** The items a load gives, oldest first; the rest raise their event and are deleted. */
  function restorable(load: SpoolLoad): Item[] {
    for (const error of load.errors ?? []) failed(error)
    const now = host.now()
    const maxAge = spool.maxAge ?? Infinity
    const records = [...load.records].sort((a, b) => a.at - b.at || a.seq - b.seq)
    const items: Item[] = []
    for (const record of records) {
      let it: Item
      try {
        it = fromRecord(record, host.defaults)
      } catch (cause) {
        failed(
          new SpoolError('invalid', `Stored record ${record.id} could not be restored`, { cause }),
        )
        continue
      }
      // One rule for both paths: a stored write is replaced only by a live item made after it.
      const newer =
        it._rare?._dedupe !== undefined && canReplace(it) ? host._holder(dedupeKey(it)) : undefined
      // A followed job is bounded by its own maxWait: its write is never sent again.
      if (now - it.at > maxAge && !it._job) events.emit('expired', { item: info(it) })
      else if (newer && newer.at >= it.at)
        events.emit('superseded', { item: info(it), by: info(newer) })
      else {
        items.push(it)
        continue
      }
      call(() => spool.delete(it.id))
    }
    return items
  }

  /** Restored items go to the queue and raise `restored`. */
  function place(items: Item[], meanwhile?: Item[]) {
    if (!items.length || host.closed()) return
    host._place(items, meanwhile)
    events.emit('restored', { items: items.map(info) })
  }

  /** Writes enqueued while the spool is read; stored once it has been. */
  let meanwhile: Item[] | undefined = []
  /** Bumped by `clear()`: a load under way when the queue was cleared is dropped. */
  let epoch = 0

  return {
    start: () =>
      Promise.resolve()
        .then(() => {
          // Disposed before its spool was read (StrictMode mounts, unmounts and mounts again):
          // reading it now would lock partitions that nothing ever releases.
          if (host.closed()) return
          const at = epoch
          // Records the spool takes over later (a tab closed) go behind what the queue holds;
          // any it takes while still loading wait for the load's own.
          let early: SpoolLoad[] | undefined = []
          spool.adopted?.((late) => {
            if (early) early.push(late)
            else place(restorable(late))
          }, host.clock)
          return Promise.resolve(spool.load()).then((load) => {
            const later = early!
            early = undefined
            if (at !== epoch || host.closed()) return
            // Ahead of everything enqueued while loading, in their original order.
            place(restorable(load), meanwhile)
            for (const late of later) place(restorable(late))
          })
        })
        .catch((e) => failed(e))
        .then(() => {
          const stored = meanwhile!
          meanwhile = undefined
          if (!host.closed()) for (const it of stored) if (!it._done) store(it)
          host._started()
        }),

    /** Stores the item before its first attempt, which waits for `it.pending`. */
    store(it: Item) {
      if (meanwhile) meanwhile.push(it)
      else store(it)
    },

    /** Deletes the item's record, once it has settled for good. */
    _forget(it: Item) {
      if (!it._stored) return
      it._stored = false
      call(() => spool.delete(it.id), it)
    },

    clear() {
      epoch++
      if (meanwhile) meanwhile = []
      return call(() => spool.clear())
    },
    dispose: () => spool.dispose?.(),
  }
}
