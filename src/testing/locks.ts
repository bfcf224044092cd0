import type { LockManagerLike } from '../env/locks.ts'

/**
 * One tab's view of an in-memory Web Locks manager. Every tab made with `tab()` shares the same
 * locks, as the tabs of one origin do.
 */
export interface MemoryLocks extends LockManagerLike {
  /** A lock manager for one more tab of the same origin. */
  tab(): MemoryLocks
  /**
   * This tab closes or crashes: every lock it holds is released, as the browser does, its
   * waiting requests are forgotten, and later requests reject with an `InvalidStateError`.
   */
  close(): void
  /** Names of the locks this tab holds. */
  held(): string[]
  /** The tab holding `name` (the first, for a shared lock), if any. */
  holder(name: string): MemoryLocks | undefined
}

type Mode = 'exclusive' | 'shared'
interface Grant {
  tab: MemoryLocks
  mode: Mode
}
interface Waiter extends Grant {
  grant: () => void
}

/**
 * An in-memory Web Locks manager (`navigator.locks`), to pass as `localStorageSpool({ locks })`.
 * It keeps the semantics the spool relies on: exclusive and shared modes, `ifAvailable`
 * (the callback gets `null` at once when the lock is taken), a `signal` that withdraws a waiting
 * request, requests granted in the order they were made, callbacks run asynchronously, and a
 * lock released when the promise its callback returned settles, or when its tab closes.
 *
 * @example
 * const first = memoryLocks()
 * const second = first.tab()
 * const a = createQueue({ spool: localStorageSpool({ key, storage, locks: first }) })
 * const b = createQueue({ spool: localStorageSpool({ key, storage, locks: second }) })
 * first.close() // tab A crashed: its partition is free for B to adopt
 */
export function memoryLocks(): MemoryLocks {
  const held = new Map<string, Grant[]>()
  const queues = new Map<string, Waiter[]>()

  const grantable = (name: string, mode: Mode) => {
    const now = held.get(name)
    return !now?.length || (mode === 'shared' && now.every((g) => g.mode === 'shared'))
  }

  const release = (name: string, grant: Grant) => {
    const now = held.get(name)
    const i = now?.indexOf(grant) ?? -1
    if (i < 0) return
    now!.splice(i, 1)
    if (!now!.length) held.delete(name)
    pump(name)
  }

  const pump = (name: string) => {
    const queue = queues.get(name)
    while (queue?.length && grantable(name, queue[0]!.mode)) queue.shift()!.grant()
  }

  const take = (name: string, grant: Grant) => {
    const list = held.get(name) ?? []
    held.set(name, list)
    list.push(grant)
  }

  const makeTab = (): MemoryLocks => {
    let closed = false
    const tab: MemoryLocks = {
      async request(name, options, callback) {
        if (closed) throw new DOMException('The document is not active', 'InvalidStateError')
        const mode: Mode = options.mode ?? 'exclusive'
        if (mode !== 'exclusive' && mode !== 'shared')
          throw new TypeError(`memoryLocks: unknown lock mode ${String(mode)}`)
        // The Web Locks API never runs a callback synchronously.
        await Promise.resolve()
        const grant: Grant = { tab, mode }
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        if (!queue.length && grantable(name, mode)) take(name, grant)
        else if (options.ifAvailable) return callback(null)
        else {
          const { signal } = options
          if (signal?.aborted) throw signal.reason
          await new Promise<void>((granted, withdrawn) => {
            const waiter: Waiter = {
              ...grant,
              grant() {
                signal?.removeEventListener('abort', abort)
                take(name, grant)
                granted()
              },
            }
            const abort = () => {
              const i = queue.indexOf(waiter)
              if (i >= 0) queue.splice(i, 1)
              withdrawn(signal!.reason)
            }
            signal?.addEventListener('abort', abort, { once: true })
            queue.push(waiter)
          })
        }
        try {
          return await callback({ name, mode })
        } finally {
          release(name, grant)
        }
      },
      tab: makeTab,
      close() {
        closed = true
        for (const [name, list] of [...held])
          for (const g of [...list]) if (g.tab === tab) release(name, g)
        for (const [name, queue] of queues) {
          for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.tab === tab) queue.splice(i, 1)
          pump(name)
        }
      },
      held: () => [...held].filter(([, list]) => list.some((g) => g.tab === tab)).map(([n]) => n),
      holder: (name) => held.get(name)?.[0]?.tab,
    }
    return tab
  }
  return makeTab()
}
