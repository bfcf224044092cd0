import type { QueueInit } from './options.ts'
import { checkTimeout, normalizeRetry } from './options.ts'
import {
  decodeBody,
  encodeBody,
  INIT_FIELDS,
  RECORD_VERSION,
  type SpoolRecord,
  type StoredInit,
  storableHeaders,
} from './record.ts'
import type { Policy } from './retry.ts'
import type { ItemInfo, ItemState, JsonValue, Kind, QueueRequest } from './types.ts'

type Waiter = [resolve: (response: Response) => void, reject: (error: unknown) => void]

/** The queue's private view of one request. Everything a spool needs is plain data. */
export interface Item {
  id: string
  seq: number
  kind: Kind
  method: string
  url: string
  headers: Headers
  /** A promise while the body of a `Request` input is still being read. */
  body: BodyInit | null | undefined | Promise<ArrayBuffer>
  init: StoredInit | undefined
  key: string | undefined
  dedupe: string | undefined
  meta: JsonValue | undefined
  persist: boolean
  durable: boolean
  /** Whether the spool holds a record of it. */
  stored: boolean
  at: number
  attempts: number
  netFails: number
  statusFails: number
  state: ItemState
  nextAttemptAt: number | undefined
  error: Error | undefined
  retry: Policy
  timeout: number | false
  throwHttpErrors: boolean
  waiters: Waiter[]
  /** Settled for its callers while its request is still on the wire. */
  done: boolean
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  /** Work to finish before the first attempt: reading a `Request` body, storing in the spool. */
  pending: Promise<unknown> | undefined
  ctrl: AbortController | undefined
  kill: ((reason: unknown) => void) | undefined
  req: QueueRequest | undefined
  deadline: number
  timer: unknown
  prev: Item | undefined
  next: Item | undefined
  info: ItemInfo | undefined
}

export interface ItemDefaults {
  id: string
  seq: number
  now: number
  retry: Policy
  timeout: number | false
  idempotency: 'same-origin' | 'always' | false
  spool: boolean
}

const READS = ['GET', 'HEAD', 'OPTIONS']
// fetch upper-cases only these; 'patch' stays as given, so we do the same.
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/

const fail = (message: string) => new TypeError(`fetch-queue: ${message}`)

const origin = () => globalThis.location?.origin

function uuid(): string {
  const c = globalThis.crypto
  // randomUUID exists only in secure contexts; an app on http://192.168.x.x still needs keys.
  if (c.randomUUID) return c.randomUUID()
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 15) | 64
  b[8] = (b[8]! & 63) | 128
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function base(d: ItemDefaults, kind: Kind, method: string, url: string, headers: Headers): Item {
  return {
    id: d.id,
    seq: d.seq,
    kind,
    method,
    url,
    headers,
    body: undefined,
    init: undefined,
    key: undefined,
    dedupe: undefined,
    meta: undefined,
    persist: false,
    durable: false,
    stored: false,
    at: d.now,
    attempts: 0,
    netFails: 0,
    statusFails: 0,
    state: 'queued',
    nextAttemptAt: undefined,
    error: undefined,
    retry: d.retry,
    timeout: d.timeout,
    throwHttpErrors: true,
    waiters: [],
    done: false,
    signal: undefined,
    onAbort: undefined,
    pending: undefined,
    ctrl: undefined,
    kill: undefined,
    req: undefined,
    deadline: 0,
    timer: undefined,
    prev: undefined,
    next: undefined,
    info: undefined,
  }
}

const sendsKey = (d: ItemDefaults, url: URL) =>
  d.idempotency === 'always' ||
  (d.idempotency === 'same-origin' && (!origin() || url.origin === origin()))

/** Builds an item from `fetch` arguments. Throws a TypeError for input `fetch` would refuse. */
export function createItem(
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  d: ItemDefaults,
): Item {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined
  const i = init ?? {}
  let url: URL
  try {
    url = new URL(request ? request.url : String(input), globalThis.location?.href)
  } catch (cause) {
    throw Object.assign(fail(`invalid URL ${JSON.stringify(String(input))}`), { cause })
  }
  let method = i.method ?? request?.method ?? 'GET'
  if (typeof method !== 'string' || !TOKEN.test(method))
    throw fail(`invalid method ${JSON.stringify(method)}`)
  const upper = method.toUpperCase()
  if (NORMALIZED.includes(upper)) method = upper
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK')
    throw fail(`forbidden method ${method}`)
  const kind = i.kind ?? (READS.includes(upper) ? 'read' : 'write')
  if (kind !== 'read' && kind !== 'write')
    throw fail(`kind must be 'read' or 'write', got ${JSON.stringify(kind)}`)

  const headers = new Headers(i.headers ?? request?.headers)
  let body: Item['body'] = i.body
  if (i.json !== undefined) {
    if (body != null) throw fail('pass either body or json, not both')
    body = JSON.stringify(i.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  } else if (body === undefined && request?.body) {
    if (request.bodyUsed) throw fail('the Request body was already used')
    body = request.arrayBuffer()
  }
  if (body != null && (upper === 'GET' || upper === 'HEAD'))
    throw fail(`a ${upper} request cannot have a body`)
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    throw fail(
      'a ReadableStream body cannot be queued: a retry could not resend it. Pass a Blob or ArrayBuffer',
    )

  const it = base(d, kind, method, url.href, headers)
  it.body = body
  if (i.dedupe === true) it.dedupe = `${method} ${url.href}`
  else if (typeof i.dedupe === 'string') it.dedupe = i.dedupe
  else if (i.dedupe !== undefined && i.dedupe !== false)
    throw fail('dedupe must be a boolean or a string')

  const key = headers.get('idempotency-key') ?? i.idempotencyKey
  if (key !== undefined && typeof key !== 'string') throw fail('idempotencyKey must be a string')
  if (kind === 'write' || key) {
    it.key = key ?? uuid()
    if (key || sendsKey(d, url)) headers.set('idempotency-key', it.key)
  }

  if (i.retry !== undefined) it.retry = normalizeRetry(i.retry, d.retry, 'init.retry')
  if (i.timeout !== undefined) it.timeout = checkTimeout(i.timeout, 'init.timeout')!
  if (i.throwHttpErrors === false) it.throwHttpErrors = false
  it.meta = i.meta
  it.persist = d.spool && (i.persist ?? kind === 'write')
  for (const f of INIT_FIELDS) {
    const v = i[f] ?? (request as Record<string, unknown> | undefined)?.[f]
    if (v !== undefined && (typeof v === 'string' || typeof v === 'boolean'))
      (it.init ??= {})[f] = v
  }
  return it
}

/** Turns a stored record back into an item. The record must have been validated. */
export function fromRecord(r: SpoolRecord, d: ItemDefaults): Item {
  const it = base(d, r.kind, r.method, r.url, new Headers(r.headers))
  it.id = r.id
  it.seq = r.seq
  it.at = r.at
  it.body = decodeBody(r.body)
  it.init = r.init
  it.key = r.key
  it.dedupe = r.dedupe
  it.meta = r.meta
  it.attempts = r.attempts
  it.persist = it.stored = it.durable = true
  if (r.key && sendsKey(d, new URL(r.url))) it.headers.set('idempotency-key', r.key)
  return it
}

/** Throws `SpoolError('unstorable')` for bodies a string store cannot hold. */
export function toRecord(it: Item, redact?: readonly string[]): SpoolRecord {
  const r: SpoolRecord = {
    v: RECORD_VERSION,
    id: it.id,
    seq: it.seq,
    kind: it.kind,
    method: it.method,
    url: it.url,
    headers: storableHeaders(it.headers, redact),
    at: it.at,
    attempts: it.attempts,
  }
  const body = encodeBody(it.body as BodyInit | null | undefined)
  if (body) r.body = body
  if (it.key !== undefined) r.key = it.key
  if (it.dedupe !== undefined) r.dedupe = it.dedupe
  if (it.meta !== undefined) r.meta = it.meta
  if (it.init) r.init = it.init
  return r
}

/** Public info, built once per change of the item. */
export function info(it: Item): ItemInfo {
  return (it.info ??= Object.freeze({
    id: it.id,
    method: it.method,
    url: it.url,
    kind: it.kind,
    state: it.state,
    attempts: it.attempts,
    nextAttemptAt: it.nextAttemptAt,
    error: it.error,
    meta: it.meta,
    enqueuedAt: it.at,
    durable: it.durable,
  }))
}
