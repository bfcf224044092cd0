import { SpoolError } from '../errors.ts'
import { blank, type Item, type ItemDefaults, jobOf, type StoredInit } from '../item.ts'
import { keyOf, type Mint } from '../key.ts'
import { requestHeaders } from '../request.ts'
import type { JsonValue, Kind } from '../types.ts'

/**
 * The format version this build writes: 2 adds `lane`; 3 moves the idempotency key's header out
 * of `headers` into `keyHeader` and `keyFormat`, and adds `job` and `follow` (`fetch-queue/jobs`).
 * It reads 1 and 2 too: their records restore into the default lane, their key goes out as it was
 * stored, among the headers (bare, as `idempotency-key`), and they follow no job. A record of a
 * newer version is set aside, never misread: a build that reads format 2 would send a format 3
 * record without its key, or send again a write whose job it should poll.
 */
export const RECORD_VERSION = 3

/** A `202 Accepted` job the item follows (format 3): polled after a reload, never sent again. */
export interface StoredJob {
  /** The status URL (absolute). */
  location: string
  /** When the 202 arrived, clock milliseconds: the job's `maxWait` counts from it. */
  acceptedAt: number
  /** When the next poll is due, clock milliseconds. */
  nextPollAt: number
}

/** Body encodings a record can hold. Bytes are base64. */
export type StoredBody =
  | { t: 'text'; v: string }
  | { t: 'params'; v: string }
  | { t: 'bytes'; v: string }

/** One pending request as a plain, JSON-safe, versioned record. */
export interface SpoolRecord {
  v: typeof RECORD_VERSION
  id: string
  seq: number
  /** The item's lane; absent for the default lane `''`. */
  lane?: string
  kind: Kind
  method: string
  /** Absolute URL. */
  url: string
  headers: [string, string][]
  body?: StoredBody
  /** The idempotency key, resent on every replay. */
  key?: string
  /** The header (lower case) the key goes out in; absent when the key is not sent. Format 3. */
  keyHeader?: string
  /** `'sf-string'`: the key goes out quoted, as the IETF draft's form; absent: bare. Format 3. */
  keyFormat?: 'sf-string'
  dedupe?: string
  meta?: JsonValue
  /** Enqueue time, clock milliseconds. */
  at: number
  attempts: number
  init?: StoredInit
  /** Format 3: the job it follows, once answered `202 Accepted`. */
  job?: StoredJob
  /** Format 3: `false` when enqueued with `follow: false`. */
  follow?: false
}

/** Never stored: they come back at send time through `beforeSend`. */
export const CREDENTIAL_HEADERS = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'x-csrf-token',
  'x-xsrf-token',
]

const toBase64 = (bytes: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

const fromBase64 = (s: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(s), (c) => c.charCodeAt(0))

/** Encodes a body for storage, or throws `SpoolError('unstorable')` for Blob, FormData and streams. */
export function encodeBody(body: BodyInit | null | undefined): StoredBody | undefined {
  if (body == null) return
  if (typeof body === 'string') return { t: 'text', v: body }
  if (body instanceof URLSearchParams) return { t: 'params', v: String(body) }
  if (body instanceof ArrayBuffer) return { t: 'bytes', v: toBase64(new Uint8Array(body)) }
  if (ArrayBuffer.isView(body))
    return {
      t: 'bytes',
      v: toBase64(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)),
    }
  throw new SpoolError(
    'unstorable',
    `A ${Object.prototype.toString.call(body).slice(8, -1)} body cannot be stored; the item is kept in memory only`,
  )
}

export function decodeBody(body: StoredBody | undefined): BodyInit | undefined {
  if (!body) return
  if (body.t === 'text') return body.v
  if (body.t === 'params') return new URLSearchParams(body.v)
  return fromBase64(body.v)
}

/** Headers as a plain list, without credentials or the extra names given (lower case). */
export function storableHeaders(
  headers: Headers,
  redact: readonly string[] = [],
): [string, string][] {
  const list: [string, string][] = []
  headers.forEach((value, name) => {
    if (!CREDENTIAL_HEADERS.includes(name) && !redact.includes(name)) list.push([name, value])
  })
  return list
}

/** Turns a stored record back into an item. The record must have been validated. */
export function fromRecord(r: SpoolRecord, d: ItemDefaults): Item {
  const it = blank(d, r.id, r.seq, r.at, r.kind, r.method, r.url, r.headers.flat())
  it.lane = r.lane ?? ''
  it.body = decodeBody(r.body)
  it.init = r.init
  it.key = r.key
  it._hasKey = r.key !== undefined
  // Restored items are few: each gets its rare fields, set or not.
  it._rare = { _dedupe: r.dedupe, _meta: r.meta }
  it.attempts = r.attempts
  if (r.job) it._job = jobOf(it, r.job.location, r.job.acceptedAt, r.job.nextPollAt)
  else if (r.follow === false) it._job = null
  it._persist = it._stored = it.durable = it._doubt = true
  // The key goes out as it did before the reload: same header, same form.
  if (r.keyHeader) it._sendKey = { name: r.keyHeader, sf: r.keyFormat === 'sf-string' }
  // The stored headers already hold the content-type (and, in formats 1 and 2, the key).
  return it
}

/** Throws `SpoolError('unstorable')` for bodies a string store cannot hold. */
export function toRecord(it: Item, mint: Mint, redact?: readonly string[]): SpoolRecord {
  const headers = requestHeaders(it, mint)
  const w = it._sendKey
  if (w) headers.delete(w.name)
  const r: SpoolRecord = {
    v: RECORD_VERSION,
    id: it.id,
    seq: it._seq,
    kind: it.kind,
    method: it.method,
    url: it.url,
    headers: storableHeaders(headers, redact),
    at: it.at,
    attempts: it.attempts,
  }
  const body = encodeBody(it.body as BodyInit | null | undefined)
  if (body) r.body = body
  if (it._hasKey) r.key = keyOf(it, mint)
  if (w) r.keyHeader = w.name
  if (w?.sf) r.keyFormat = 'sf-string'
  if (it.lane) r.lane = it.lane
  const x = it._rare
  if (x?._dedupe !== undefined) r.dedupe = x._dedupe
  if (x?._meta !== undefined) r.meta = x._meta
  if (it.init) r.init = it.init
  const { _job: job } = it
  if (job) r.job = { location: job.url, acceptedAt: job.acceptedAt, nextPollAt: job.nextPollAt }
  else if (job === null) r.follow = false
  return r
}
