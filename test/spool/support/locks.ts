import type { LockManagerLike } from '../../../src/index.ts'

export interface FakeTab extends LockManagerLike {
  /** The tab closes or crashes: every lock it holds is released, as the browser does. */
  close(): void
  /** Names of the locks this tab holds. */
  held(): string[]
}

export interface LockHub {
  /** A lock manager for one more tab of the same origin. */
  tab(): FakeTab
  /** Who holds `name`, if anyone. */
  holder(name: string): FakeTab | undefined
}

/**
 * Web Locks semantics for several tabs in one test: exclusive locks, `ifAvailable`, waiting
 * requests granted in order, callbacks run asynchronously, locks released when the callback's
 * promise settles or its tab closes.
 */
export function lockHub(): LockHub {
  const holders = new Map<string, FakeTab>()
  const queues = new Map<string, (() => void)[]>()

  const release = (name: string, tab: FakeTab) => {
    if (holders.get(name) !== tab) return
    holders.delete(name)
    queues.get(name)?.shift()?.()
  }

  return {
    holder: (name) => holders.get(name),
    tab() {
      let closed = false
      const tab: FakeTab = {
        async request(name, options, callback) {
          if (closed) throw new DOMException('The document is not active', 'InvalidStateError')
          await Promise.resolve()
          if (holders.has(name)) {
            if (options.ifAvailable) return callback(null)
            await new Promise<void>((granted) => {
              const list = queues.get(name) ?? []
              queues.set(name, list)
              list.push(granted)
            })
          }
          holders.set(name, tab)
          try {
            return await callback({ name, mode: options.mode ?? 'exclusive' })
          } finally {
            release(name, tab)
          }
        },
        close() {
          closed = true
          for (const [name, holder] of [...holders]) if (holder === tab) release(name, tab)
        },
        held: () => [...holders].filter(([, h]) => h === tab).map(([name]) => name),
      }
      return tab
    },
  }
}
