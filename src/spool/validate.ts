import { SpoolError } from '../errors.ts'
import { HEADER_VALUE, isForbiddenMethod, TOKEN } from '../http.ts'
import { INIT_FIELDS, type StoredInit } from '../item.ts'
import { CREDENTIAL_HEADERS, RECORD_VERSION, type SpoolRecord } from './record.ts'

export interface CheckOptions {
  /** The page's origin; undefined where there is no `location`. */
  origin: string | undefined
  /** Normalized origins besides the page's own. */
  allowed: readonly string[] | undefined
  /** Header names (lower case) dropped besides the credential headers. */
  redact: readonly string[]
}

type Raw = Record<string, any>

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const plain = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * Parses one stored value and checks every field. Stored data is untrusted: another script on the
 * origin, a browser extension or an older build may have written it. Returns a fresh record that
 * holds only the known fields (unknown ones are dropped, never passed on); throws `SpoolError` with code 'invalid', 'version' or 'origin'.
 */
export function checkRecord(text: string, o: CheckOptions): SpoolRecord {
  const invalid = (why: string) => new SpoolError('invalid', `Stored record set aside: ${why}`)
  const need = (ok: unknown, field: string) => {
    if (!ok) throw invalid(`bad ${field}`)
  }
  let r: unknown
  try {
    // JSON.parse makes `__proto__` an own key; merged into an object later it would change its prototype.
    r = JSON.parse(text, (k, v) => {
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw invalid(`key ${k}`)
      return v
    })
  } catch (error) {
    throw (error as Error).name === 'SpoolError' ? error : invalid('not JSON')
  }
  if (!plain(r)) throw invalid('not an object')
  // Format 1 had no lanes: its records belong to the default lane. Formats 1 and 2 kept the key's
  // header among the headers, where it stays.
  if (r.v !== RECORD_VERSION && r.v !== 1 && r.v !== 2) {
    if (Number.isSafeInteger(r.v) && r.v > RECORD_VERSION)
      throw new SpoolError(
        'version',
        `Stored record of format ${r.v} set aside: this version reads format ${RECORD_VERSION}`,
      )
    throw invalid('format version')
  }
  need(str(r.id, 200) && r.id, 'id')
  need(count(r.seq), 'seq')
  need(r.kind === 'read' || r.kind === 'write', 'kind')
  need(str(r.method, 32) && TOKEN.test(r.method) && !isForbiddenMethod(r.method), 'method')
  need(Number.isFinite(r.at) && r.at >= 0, 'at')
  need(count(r.attempts), 'attempts')
  need(str(r.url, 65_536), 'url')
  let url: URL
  try {
    url = new URL(r.url)
  } catch {
    throw invalid('url')
  }
  need(url.protocol === 'https:' || url.protocol === 'http:', 'url protocol')
  const ok = o.origin
    ? url.origin === o.origin || o.allowed?.includes(url.origin)
    : !o.allowed || o.allowed.includes(url.origin)
  if (!ok)
    throw new SpoolError(
      'origin',
      `Stored record set aside: ${url.origin} is not an allowed origin`,
    )

  need(Array.isArray(r.headers), 'headers')
  const headers: [string, string][] = []
  for (const h of r.headers) {
    need(Array.isArray(h) && h.length === 2 && str(h[0], 256) && TOKEN.test(h[0]), 'header name')
    need(str(h[1], 16_384) && HEADER_VALUE.test(h[1]), 'header value')
    const name = h[0].toLowerCase()
    // Credentials are never replayed from storage: `beforeSend` adds fresh ones.
    if (!CREDENTIAL_HEADERS.includes(name) && !o.redact.includes(name)) headers.push([name, h[1]])
  }
  const record: SpoolRecord = {
    v: RECORD_VERSION,
    id: r.id,
    seq: r.seq,
    kind: r.kind,
    method: r.method,
    url: url.href,
    headers,
    at: r.at,
    attempts: r.attempts,
  }
  if (r.body !== undefined) {
    const b = r.body
    need(plain(b) && typeof b.v === 'string', 'body')
    need(b.t === 'text' || b.t === 'params' || b.t === 'bytes', 'body')
    // Bytes are decoded with atob when sent: check now that it can.
    if (b.t === 'bytes')
      try {
        atob(b.v)
      } catch {
        throw invalid('body')
      }
    need(!/^(get|head)$/i.test(r.method), 'body on a GET or HEAD')
    record.body = { t: b.t, v: b.v }
  }
  if (r.lane !== undefined) {
    need(str(r.lane, 1024), 'lane')
    if (r.lane) record.lane = r.lane
  }
  if (r.key !== undefined) {
    need(str(r.key, 256) && HEADER_VALUE.test(r.key), 'key')
    record.key = r.key
  }
  if (r.v === RECORD_VERSION && r.keyHeader !== undefined) {
    need(str(r.keyHeader, 256) && TOKEN.test(r.keyHeader) && r.key !== undefined, 'keyHeader')
    const name = r.keyHeader.toLowerCase()
    // Stored data never puts a value in a credential header.
    need(!CREDENTIAL_HEADERS.includes(name), 'keyHeader')
    record.keyHeader = name
    if (r.keyFormat !== undefined) {
      need(r.keyFormat === 'sf-string' && /^[ -~]*$/.test(r.key), 'keyFormat')
      record.keyFormat = r.keyFormat
    }
  }
  if (r.dedupe !== undefined) {
    need(str(r.dedupe, 65_536), 'dedupe')
    record.dedupe = r.dedupe
  }
  if (r.meta !== undefined) record.meta = r.meta
  if (r.init !== undefined) {
    need(plain(r.init), 'init')
    const init: StoredInit = {}
    for (const k in r.init) {
      const v = r.init[k]
      need(
        INIT_FIELDS.includes(k as never) && (typeof v === 'boolean' || str(v, 2048)),
        `init.${k}`,
      )
      init[k as keyof StoredInit] = v
    }
    record.init = init
  }
  return record
}
