import type { LockManagerLike } from '../env/locks.ts'
import { SpoolError } from '../errors.ts'
import { noop } from '../http.ts'
import type { Clock } from '../types.ts'

/**
 * How long a running instance leaves a partition whose owner went away before taking it, so that
 * a reloading page, not another tab, gets its own writes back (a reload takes well under this);
 * and how long a starting page waits for its predecessor's partitions.
 */
export const ADOPT_GRACE = 2000

/** A tab's note of its partitions is a hint: storage that throws just means no note. */
const attempt = <T>(run: () => T): T | undefined => {
  try {
    return run()
  } catch {
    return undefined
  }
}

/**
 * Web Locks partitioning of one spool key (DESIGN §2.7, several tabs): each spool instance owns a
 * partition under an exclusive lock, held until `release()` or until the page goes away, and
 * adopts partitions whose owner is gone: at start, and later the moment their owner goes away.
 * The partitions it holds are noted in the tab's own storage (`session`), so that
 * the tab's next page (a reload) knows them for its own. Without a lock manager, the one instance
 * adopts all.
 */
export function partitions(
  prefix: string,
  manager: LockManagerLike | null | undefined,
  session: Pick<Storage, 'getItem' | 'setItem'> | null | undefined,
  clock: Clock,
) {
  let locks = manager
  let release: (() => void) | undefined
  const held = new Promise<void>((r) => (release = r))
  const stop = new AbortController()
  /** Partitions this instance holds or waits for. */
  const known = new Set<string>()
  const name = (part: string) => `fetch-queue:${prefix}${part}`

  // The partitions this tab's page before a reload held, and those this page holds.
  const noteKey = `fetch-queue:${prefix}`
  // Default: the tab's sessionStorage (its getter throws in sandboxed iframes: no note, then).
  const tab = session === undefined ? attempt(() => globalThis.sessionStorage) : session
  const ours = new Set(attempt(() => tab?.getItem(noteKey)?.split(' ')))
  const mine = new Set<string>()
  const note = (part: string) => {
    mine.add(part)
    attempt(() => tab?.setItem(noteKey, [...mine].join(' ')))
  }
  const deadline = clock.now() + ADOPT_GRACE

  /**
   * true: this instance now holds the partition; false: someone else does; undefined: no locks.
   * With `ms`, waits that long for it to be free.
   */
  const lock = (part: string, ms = 0) =>
    new Promise<boolean | undefined>((granted) => {
      const give = new AbortController()
      const timer = ms > 0 && clock.setTimeout(() => give.abort(), ms)
      locks!
        .request(name(part), ms > 0 ? { signal: give.signal } : { ifAvailable: true }, (l) => {
          if (timer) clock.clearTimeout(timer)
          granted(!!l)
          if (l) note(part)
          return l ? held : undefined
        })
        .catch(() => granted(ms > 0 ? false : undefined))
    })

  function wait(part: string, taken: (part: string) => void) {
    if (!locks || known.has(part) || stop.signal.aborted) return
    known.add(part)
    locks
      .request(name(part), { signal: stop.signal }, () => {
        if (stop.signal.aborted) return
        // Freed by this tab's page before a reload, which a running tab has just let go (it got
        // the lock first, see below): taken at once.
        if (ours.has(part)) {
          note(part)
          taken(part)
          return held
        }
        // Free, but maybe only for a reload: the owner's next page takes its partition back at
        // start, and gets the first chance. The lock is let go meanwhile.
        clock.setTimeout(async () => {
          if (stop.signal.aborted) return
          if (await lock(part)) taken(part)
          else {
            known.delete(part)
            wait(part, taken)
          }
        }, ADOPT_GRACE)
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
     * Takes another partition if its owner is gone. One this tab's page before a reload held is
     * waited for, up to `ADOPT_GRACE` after start: that page lets go as it unloads, maybe after
     * this one started, and its writes go ahead of anything this page sends.
     */
    async adopt(part: string): Promise<boolean> {
      const got = !locks || !!(await lock(part, ours.has(part) ? deadline - clock.now() : 0))
      if (got) known.add(part)
      return got
    },
    /**
     * Waits for the owner of a live partition to go away (its tab closed or crashed), then takes
     * it and calls `taken`: at once if it is this tab's, from before a reload, else after
     * `ADOPT_GRACE` ms if nobody took it meanwhile. Once per partition; nothing without a lock
     * manager.
     */
    wait,
    release() {
      stop.abort()
      release?.()
    },
  }
}
