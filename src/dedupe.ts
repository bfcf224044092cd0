import type { Item } from './item.ts'

/**
 * The dedupe key of an item: its kind, its lane and its key, so a read never replaces a write
 * (DESIGN §2.3) and keys are scoped to their lane (§2.9).
 */
export const dedupeKey = (it: Item): string => `${it.kind}${it.lane}\0${it._rare?._dedupe}`

/** The key `dedupe: true` stands for. */
export const defaultDedupe = (method: string, url: string): string => `${method} ${url}`

/**
 * Whether a newer item with the same key may replace `old`: `'replace'` a pending item not yet
 * on the wire, `'abort'` a read in flight (it follows the new item), `false` anything else. The
 * one rule for items enqueued here and items restored from the spool. A write in doubt (its
 * attempt failed without an answer, or it was restored) may have reached the server and be
 * applied late: replacing it could let the older save land after the newer one, so it goes first.
 */
export function canReplace(old: Item): 'replace' | 'abort' | false {
  if (old._done) return false
  if (old.kind === 'write' && old._doubt) return false
  if (old.state === 'queued' || old.state === 'retrying') return 'replace'
  return old.state === 'sending' && old.kind === 'read' ? 'abort' : false
}

/** The live item holding each dedupe key: finding the one to replace costs O(1) (DESIGN §2.3). */
export function dedupeKeys() {
  const keys = new Map<string, Item>()
  return {
    /** The live item that holds a key, if any. */
    holder: (key: string): Item | undefined => keys.get(key),
    /** `it` takes its key; returns the item it replaces and how, if `canReplace` allows it. */
    _claim(it: Item): [old: Item, how: 'replace' | 'abort'] | undefined {
      const key = dedupeKey(it)
      const old = keys.get(key)
      keys.set(key, it)
      const how = old && canReplace(old)
      return how ? [old, how] : undefined
    },
    /** A restored item takes its key unless a live one has it. */
    keep(it: Item) {
      if (it._rare?._dedupe !== undefined && !keys.has(dedupeKey(it))) keys.set(dedupeKey(it), it)
    },
    /** A settled item gives its key back. */
    release(it: Item) {
      if (it._rare?._dedupe !== undefined && keys.get(dedupeKey(it)) === it)
        keys.delete(dedupeKey(it))
    },
    clear: () => keys.clear(),
  }
}
