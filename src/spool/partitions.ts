import type { LockManagerLike } from '../env/locks.ts'
import { SpoolError } from '../errors.ts'
import { noop } from '../http.ts'
import type { Clock } from '../types.ts'

/**
 * Web Locks partitioning of one spool key (DESIGN §2.7, several tabs): each spool instance owns a
 * partition under an exclusive lock, held until `release()` or until the page goes away, and
 * adopts partitions whose owner is gone: at start, and later the moment their owner goes away.
 * Without a lock manager, the one instance adopts all.
 */
/**
 * How long a running instance leaves a partition whose owner went away before taking it, so that
 * a reloading page, not another tab, gets its own writes back (a reload takes well under this);
 * and how long a starting page waits for its predecessor's partitions.
 */
export const ADOPT_GRACE = 2000

export function partitions(prefix: string, manager: LockManagerLike | null | undefined) {
  let locks = manager
  let release: (() => void) | undefined
  const held = new Promise<void>((r) => (release = r))
  const stop = new AbortController()
  /** Partitions this instance holds or waits for. */
  const known = new Set<string>()
  const name = (part: string) => `fetch-queue:${prefix}${part}`

  /**
   * true: this instance now holds the partition; false: someone else does; undefined: no locks.
   * With `ms`, waits that long for it to be free.
   */
  const lock = (part: string, ms = 0, clock?: Clock) =>
    new Promise<boolean | undefined>((granted) => {
      const give = new AbortController()
      const timer = ms > 0 && clock!.setTimeout(() => give.abort(), ms)
      locks!
        .request(name(part), ms > 0 ? { signal: give.signal } : { ifAvailable: true }, (l) => {
          if (timer) clock!.clearTimeout(timer)
          granted(!!l)
          return l ? held : undefined
        })
        .catch(() => granted(ms > 0 ? false : undefined))
    })
  function wait(
    part: string,
    taken: (part: string) => void,
    later: (fn: () => void) => void,
    ours: (part: string) => boolean,
  ) {
    if (!locks || known.has(part) || stop.signal.aborted) return
    known.add(part)
    locks
      .request(name(part), { signal: stop.signal }, () => {
        if (stop.signal.aborted) return
        // Freed by this tab's page before a reload, which a running tab has just let go (it got
        // the lock first, see below): taken at once.
        if (ours(part)) {
          taken(part)
          return held
        }
        // Free, but maybe only for a reload: the owner's next page takes its partition back at
        // start, and gets the first chance. The lock is let go meanwhile.
        later(async () => {
          if (stop.signal.aborted) return
          if (await lock(part)) taken(part)
          else {
            known.delete(part)
            wait(part, taken, later, ours)
          }
        })
      })
      .catch(noop)
  }

  const fresh = () => Math.random().toString(36).slice(2, 10) || '0'

  return {
    /** Picks a fresh partition and locks it. */
    async claim(): Promise<string> {
      let part = fresh()
      for (let tries = 0; locks; part = fresh()) {
        const got = await lock(part)
        if (got) break
        // A lock manager that refuses outright (an opaque origin) is as good as none.
        if (got === undefined) locks = null
        else if (++tries > 3) throw new SpoolError('failed', 'Could not lock a spool partition')
      }
      known.add(part)
      return part
    },
    /**
     * Takes another partition if its owner is gone, or goes within `ms`: one this tab's page
     * before a reload held, and lets go as it unloads, maybe after this page started.
     */
    async adopt(part: string, ms?: number, clock?: Clock): Promise<boolean> {
      const got = !locks || !!(await lock(part, ms, clock))
      if (got) known.add(part)
      return got
    },
    /**
     * Waits for the owner of a live partition to go away (its tab closed or crashed), then takes
     * it and calls `taken`: at once if it is `ours` (this tab's, from before a reload), else after
     * `later` (`ADOPT_GRACE` ms) if nobody took it meanwhile. Once per partition; nothing without
     * a lock manager.
     */
    wait,
    release() {
      stop.abort()
      release?.()
    },
  }
}
