// @vitest-environment happy-dom
import { beforeEach } from 'vitest'
import { localStorageSpool, memorySpool } from '../../src/index.ts'
import { spoolContract } from './contract.ts'
import { lockHub } from './support/locks.ts'
import { ORIGIN } from './support/records.ts'
import { fakeStorage } from './support/storage.ts'

beforeEach(() => {
  globalThis.localStorage.clear()
})

spoolContract('memorySpool', () => {
  const spool = memorySpool()
  return { open: () => spool }
})

spoolContract('localStorageSpool over an in-memory Storage, with Web Locks', () => {
  const storage = fakeStorage()
  const hub = lockHub()
  return {
    open: () =>
      localStorageSpool({ key: 'doc:1', storage, locks: hub.tab(), allowedOrigins: [ORIGIN] }),
  }
})

spoolContract('localStorageSpool over an in-memory Storage, no Web Locks', () => {
  const storage = fakeStorage()
  return {
    open: () => localStorageSpool({ key: 'doc:1', storage, locks: null, allowedOrigins: [ORIGIN] }),
  }
})

// The defaults: happy-dom's window.localStorage and navigator.locks (which happy-dom lacks), read lazily.
spoolContract("localStorageSpool over happy-dom's localStorage", () => ({
  open: () => localStorageSpool({ key: 'doc:1', allowedOrigins: [ORIGIN] }),
}))
