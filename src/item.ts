import type { QueueInit, TransportContext } from './options.ts'
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

/**
 * One attempt. Its AbortController is made only when someone reads the signal: in Node, creating
 * an AbortSignal costs more than the rest of an attempt together.
 */
export class Attempt implements TransportContext {
  /** The attempt has been settled; whatever the transport does later is ignored. */
  over?: boolean
  ctrl?: AbortController
  /** Why the attempt was cut short: timeout, abort, supersede, dispose. */
  reason?: unknown

  constructor(
    readonly it: Item,
    readonly attempt: number,
  ) {}

  // The attempt doubles as the transport's context: one object less per attempt.
  get signal(): AbortSignal {
    if (!this.ctrl) {
      this.ctrl = new AbortController()
      if (this.reason !== undefined) this.ctrl.abort(this.reason)
    }
    return this.ctrl.signal
  }

  get item(): ItemInfo {
    return info(this.it)
  }
}

/** A caller waiting on the item: its promise (to mark it handled when it rejects) and resolvers. */
export type Waiter = [
  promise: Promise<Response>,
  resolve: (response: Response) => void,
  reject: (error: unknown) => void,
]

/** The queue's private view of one request. Everything a spool needs is plain data. */
export interface Item {
  id: string
  seq: number
  kind: Kind
  method: string
  url: string
  /** Only the headers the caller gave; the rest are added per attempt. Most items have none. */
  headers: Headers | undefined
  /** A content-type to add at send time (for `json`). */
  ctype: string | undefined
  /** Whether attempts carry the `Idempotency-Key` header. */
  sendKey: boolean
  /** Whether the item has an idempotency key (every write does). */
  hasKey: boolean
  /** A promise while the body of a `Request` input is still being read. */
  body: BodyInit | null | undefined | Promise<ArrayBuffer>
  init: StoredInit | undefined
  /** The idempotency key; minted on first use (store or send), see `keyOf`. */
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
  /** The first caller, kept inline: most items have exactly one. */
  waiter: Waiter | undefined
  /** Callers of superseded items, who follow this one. */
  more: Waiter[] | undefined
  /** Settled for its callers while its request is still on the wire. */
  done: boolean
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  /** Work to finish before the first attempt: reading a `Request` body, storing in the spool. */
  pending: Promise<unknown> | undefined
  /** The attempt on the wire, if any. */
  att: Attempt | undefined
  req: QueueRequest | undefined
  deadline: number
  timer: unknown
  prev: Item | undefined
  next: Item | undefined
  info: ItemInfo | undefined
}

/** The queue's settings an item starts from. One object per queue. */
export interface ItemDefaults {
  retry: Policy
  timeout: number | false
  idempotency: 'same-origin' | 'always' | false
  throwHttpErrors: boolean
  spool: boolean
}

const READS = ['GET', 'HEAD', 'OPTIONS']
// fetch upper-cases only these; 'patch' stays as given, so we do the same.
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/

const fail = (message: string) => new TypeError(`fetch-queue: ${message}`)

let last: [input: string, base: string | undefined, href: string, origin: string] = ['', '', '', '']

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

function base(
  d: ItemDefaults,
  id: string,
  seq: number,
  at: number,
  kind: Kind,
  method: string,
  url: string,
  headers: Headers | undefined,
): Item {
  return {
    id,
    seq,
    kind,
    method,
    url,
    headers,
    ctype: undefined,
    sendKey: false,
    hasKey: false,
    body: undefined,
    init: undefined,
    key: undefined,
    dedupe: undefined,
    meta: undefined,
    persist: false,
    durable: false,
    stored: false,
    at,
    attempts: 0,
    netFails: 0,
    statusFails: 0,
    state: 'queued',
    nextAttemptAt: undefined,
    error: undefined,
    retry: d.retry,
    timeout: d.timeout,
    throwHttpErrors: d.throwHttpErrors,
    waiter: undefined,
    more: undefined,
    done: false,
    signal: undefined,
    onAbort: undefined,
    pending: undefined,
    att: undefined,
    req: undefined,
    deadline: 0,
    timer: undefined,
    prev: undefined,
    next: undefined,
    info: undefined,
  }
}

const sendsKey = (d: ItemDefaults, origin: string) =>
  d.idempotency === 'always' ||
  (d.idempotency === 'same-origin' &&
    (!globalThis.location?.origin || origin === globalThis.location.origin))

/** Builds an item from `fetch` arguments. Throws a TypeError for input `fetch` would refuse. */
export function createItem(
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  d: ItemDefaults,
  id: string,
  seq: number,
  now: number,
): Item {
  const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined
  const i = init ?? {}
  const href = request ? request.url : String(input)
  const from = globalThis.location?.href
  // Editors hit the same few URLs over and over: remember the last one resolved.
  if (href !== last[0] || from !== last[1]) {
    try {
      const url = new URL(href, from)
      last = [href, from, url.href, url.origin]
    } catch (cause) {
      throw Object.assign(fail(`invalid URL ${JSON.stringify(href)}`), { cause })
    }
  }
  const [, , abs, origin] = last
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

  const given = i.headers ?? request?.headers
  // Validates and snapshots the caller's headers, as fetch does; skipped when there are none.
  const headers = given ? new Headers(given) : undefined
  let body: Item['body'] = i.body
  let ctype: string | undefined
  if (i.json !== undefined) {
    if (body != null) throw fail('pass either body or json, not both')
    body = JSON.stringify(i.json)
    if (!headers?.has('content-type')) ctype = 'application/json'
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

  const it = base(d, id, seq, now, kind, method, abs, headers)
  it.body = body
  it.ctype = ctype
  if (i.dedupe === true) it.dedupe = `${method} ${abs}`
  else if (typeof i.dedupe === 'string') it.dedupe = i.dedupe
  else if (i.dedupe !== undefined && i.dedupe !== false)
    throw fail('dedupe must be a boolean or a string')

  const key = headers?.get('idempotency-key') ?? i.idempotencyKey
  if (key !== undefined && typeof key !== 'string') throw fail('idempotencyKey must be a string')
  if (kind === 'write' || key) {
    it.key = key
    it.hasKey = true
    it.sendKey = !!key || sendsKey(d, origin)
  }

  if (i.retry !== undefined) it.retry = normalizeRetry(i.retry, d.retry, 'init.retry')
  if (i.timeout !== undefined) it.timeout = checkTimeout(i.timeout, 'init.timeout')!
  if (i.throwHttpErrors !== undefined) it.throwHttpErrors = !!i.throwHttpErrors
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
  const it = base(d, r.id, r.seq, r.at, r.kind, r.method, r.url, new Headers(r.headers))
  it.body = decodeBody(r.body)
  it.init = r.init
  it.key = r.key
  it.hasKey = r.key !== undefined
  it.dedupe = r.dedupe
  it.meta = r.meta
  it.attempts = r.attempts
  it.persist = it.stored = it.durable = true
  // The stored headers already hold the content-type and, when it was sent, the key.
  return it
}

/**
 * The key is minted when first needed rather than at enqueue: the same key still goes with every
 * attempt and every stored copy, and a long queue of pending writes holds 60 fewer bytes each.
 */
export const keyOf = (it: Item): string | undefined => (it.hasKey ? (it.key ??= uuid()) : undefined)

/** The headers an attempt sends, before `beforeSend`: a fresh object every time. */
export function requestHeaders(it: Item): Headers {
  const h = new Headers(it.headers)
  if (it.ctype) h.set('content-type', it.ctype)
  if (it.sendKey) h.set('idempotency-key', keyOf(it)!)
  return h
}

/**
 * The request an attempt hands to the transport. A class, because an object literal with a
 * getter costs ~1 µs to create in V8; the signal getter keeps the AbortController lazy.
 */
class LazyRequest {
  url: string
  method: string
  headers: Headers
  body: BodyInit | null | undefined
  #a: Attempt

  constructor(it: Item, a: Attempt) {
    this.url = it.url
    this.method = it.method
    this.headers = requestHeaders(it)
    this.body = it.body as BodyInit
    this.#a = a
    if (it.init) Object.assign(this, it.init)
  }

  get signal(): AbortSignal {
    return this.#a.signal
  }
}

/** `plain`: a plain object with the signal as a property, since a spread would drop a getter. */
export function buildRequest(it: Item, a: Attempt, plain: boolean): QueueRequest {
  const req = new LazyRequest(it, a) as unknown as QueueRequest
  return plain ? { ...req, signal: a.signal } : req
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
    headers: storableHeaders(requestHeaders(it), redact),
    at: it.at,
    attempts: it.attempts,
  }
  const body = encodeBody(it.body as BodyInit | null | undefined)
  if (body) r.body = body
  if (it.hasKey) r.key = keyOf(it)
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
