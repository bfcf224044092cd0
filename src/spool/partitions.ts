import type { LockManagerLike } from '../env/locks.ts'
import { SpoolError } from '../errors.ts'

/**
 * Web Locks partitioning of one spool key (DESIGN §2.7, several tabs): each spool instance owns a
 * partition under an exclusive lock, held until `release()` or until the page goes away, and
 * adopts partitions whose owner is gone. Without a lock manager, the one instance adopts all.
 */
export function partitions(prefix: string, manager: LockManagerLike | null | undefined) {
  let locks = manager
  let release: (() => void) | undefined
  const held = new Promise<void>((r) => (release = r))

  /** true: this instance now holds the partition; false: someone else does; undefined: no locks. */
  const lock = (part: string) =>
    new Promise<boolean | undefined>((granted) => {
      locks!
        .request(`fetch-queue:${prefix}${part}`, { ifAvailable: true }, (l) => {
          granted(!!l)
          return l ? held : undefined
        })
        .catch(() => granted(undefined))
    })
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
      return part
    },
    /** Takes another partition if its owner is gone. */
    adopt: async (part: string): Promise<boolean> => !locks || !!(await lock(part)),
    release: () => release?.(),
  }
}
