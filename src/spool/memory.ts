import { defineSpool } from './define.ts'
import type { SpoolRecord } from './record.ts'
import type { DefinedSpool, Spool } from './types.ts'

/**
 * Keeps records in memory, copied as JSON so they behave like stored ones. A new queue over the
 * same memory spool restores what the old one left, which makes it handy in tests.
 */
export function memorySpool(): DefinedSpool<Spool & { readonly size: number }> {
  const records = new Map<string, string>()
  return defineSpool({
    name: 'memory',
    get size() {
      return records.size
    },
    load: () => ({ records: [...records.values()].map((json) => JSON.parse(json) as SpoolRecord) }),
    put(record) {
      records.set(record.id, JSON.stringify(record))
    },
    delete(id) {
      records.delete(id)
    },
    clear() {
      records.clear()
    },
  })
}
