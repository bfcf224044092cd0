import { persistence } from './persist.ts'
import { ATTACH, type DefinedSpool, type Spool } from './types.ts'

/**
 * Makes your own storage usable as `createQueue({ spool })`: pass an object with `name`, `load`,
 * `put`, `delete` and `clear` (each sync or async). `localStorageSpool` and `memorySpool` are
 * defined this way already.
 *
 * @example
 * const spool = defineSpool({ name: 'idb', load, put, delete: remove, clear })
 */
export function defineSpool<S extends Spool>(spool: S): DefinedSpool<S> {
  return Object.assign(spool, { [ATTACH]: persistence })
}
