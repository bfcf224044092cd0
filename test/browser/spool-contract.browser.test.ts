import { localStorageSpool } from '../../src/index.ts'
import { spoolContract } from '../spool/contract.ts'
import { ORIGIN } from '../spool/support/records.ts'

// The shared spool contract, run once more against the browser's own localStorage and
// navigator.locks instead of the in-memory fakes the unit suite uses.
let n = 0
spoolContract('localStorageSpool over the browser localStorage and navigator.locks', () => {
  const key = `contract:${Date.now().toString(36)}:${++n}`
  return { open: () => localStorageSpool({ key, allowedOrigins: [ORIGIN] }) }
})
