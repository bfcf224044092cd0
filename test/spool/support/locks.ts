import { type MemoryLocks, memoryLocks } from '../../../src/testing/locks.ts'

export type FakeTab = MemoryLocks

export interface LockHub {
  /** A lock manager for one more tab of the same origin. */
  tab(): FakeTab
  /** Who holds `name`, if anyone. */
  holder(name: string): FakeTab | undefined
}

/** Several tabs over the testing kit's in-memory Web Locks. */
export function lockHub(): LockHub {
  const origin = memoryLocks()
  return { tab: origin.tab, holder: origin.holder }
}
