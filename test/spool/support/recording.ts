import { defineSpool, type SpoolLoad, type SpoolRecord } from '../../../src/index.ts'

export interface RecordingSpool {
  spool: ReturnType<typeof defineSpool>
  /** Each record the queue handed to `put`, as it was handed (not copied through JSON). */
  puts: SpoolRecord[]
  /** Each id the queue handed to `delete`, in order. */
  deletes: string[]
  /** Resolves the pending `load()` when it was started with `hold: true`. */
  release: (load?: SpoolLoad) => void
}

/**
 * A spool made with defineSpool that records what the queue asks of it. `load()` returns `load`
 * at once, or waits for `release()` with `hold: true`; `put` fails with `putError` while set.
 */
export function recordingSpool(
  load: SpoolLoad = { records: [] },
  o: { hold?: boolean; redactHeaders?: string[]; maxAge?: number } = {},
): RecordingSpool {
  const puts: SpoolRecord[] = []
  const deletes: string[] = []
  let release: (load?: SpoolLoad) => void = () => {}
  const held = new Promise<SpoolLoad>((resolve) => {
    release = (l = load) => resolve(l)
  })
  const spool = defineSpool({
    name: 'recording',
    ...(o.redactHeaders && { redactHeaders: o.redactHeaders }),
    ...(o.maxAge !== undefined && { maxAge: o.maxAge }),
    load: () => (o.hold ? held : load),
    put(record: SpoolRecord) {
      puts.push(record)
    },
    delete(id: string) {
      deletes.push(id)
    },
    clear() {},
  })
  return { spool, puts, deletes, release: (l) => release(l) }
}
