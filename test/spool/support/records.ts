import { RECORD_VERSION, type SpoolRecord } from '../../../src/spool/record.ts'

export const ORIGIN = 'https://api.test'

let n = 0

/** A valid record; override any field. */
export function record(over: Partial<SpoolRecord> = {}): SpoolRecord {
  n++
  return {
    v: RECORD_VERSION,
    id: `r${n}`,
    seq: n,
    kind: 'write',
    method: 'POST',
    url: `${ORIGIN}/items/${n}`,
    headers: [['content-type', 'application/json']],
    body: { t: 'text', v: JSON.stringify({ n }) },
    key: `key-${n}`,
    keyHeader: 'idempotency-key',
    at: 1_700_000_000_000 + n,
    attempts: 0,
    ...over,
  }
}
