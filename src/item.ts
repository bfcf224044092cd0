import { checkCombination, checkField, checkUrl } from './fetch-rules.ts'
import type { QueueFields, QueueInit } from './options.ts'
import { checkTimeout, normalizeRetry } from './options.ts'
import { INIT_FIELDS, type StoredInit } from './record.ts'
import type { Attempt } from './request.ts'
import type { Policy } from './retry.ts'
import type { ItemInfo, ItemState, JsonValue, Kind, QueueRequest } from './types.ts'

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
  /** Init fields the queue does not know (`dispatcher`, `next`, `cf`, ...): sent, never stored. */
  extra: Record<string, unknown> | undefined
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

// Init fields read elsewhere, or that the transport's request defines itself.
const OWN = new Set(['method', 'headers', 'body', 'signal', 'window', 'url'])
// The queue's own fields, when they come in the init (queue.fetch) rather than apart (asFetch).
const QUEUE = new Set<string>([
  'kind',
  'dedupe',
  'json',
  'meta',
  'persist',
  'retry',
  'timeout',
  'idempotencyKey',
  'throwHttpErrors',
] satisfies (keyof QueueFields)[])

const fail = (message: string) => new TypeError(`fetch-queue: ${message}`)

/**
 * `input` when it is a `Request`, also from another realm (an iframe) or another copy of the
 * class (a bundled undici), where `instanceof` fails: by its `[object Request]` tag.
 */
export const requestOf = (input: unknown): Request | undefined =>
  typeof input === 'object' &&
  input !== null &&
  ((typeof Request !== 'undefined' && input instanceof Request) ||
    Object.prototype.toString.call(input) === '[object Request]')
    ? (input as Request)
    : undefined

let last: [input: string, base: string | undefined, href: string, origin: string] = ['', '', '', '']

/** A fresh item with every field set, so all items share one shape. */
export function blank(
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
    extra: undefined,
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

type Field = (typeof INIT_FIELDS)[number]

function keep(it: Item, field: string, v: unknown) {
  if (typeof v === 'string' || typeof v === 'boolean') (it.init ??= {})[field as Field] = v
}

/**
 * Builds an item from `fetch` arguments. Throws a TypeError for input `fetch` would refuse. The
 * queue's own fields (`dedupe`, `retry`, ...) come from `queue` when given, else from `init`.
 */
export function createItem(
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  d: ItemDefaults,
  id: string,
  seq: number,
  now: number,
  queue?: QueueFields,
): Item {
  const request = requestOf(input)
  const i = init ?? {}
  // `queue.asFetch` gives the queue's own fields apart: then the init is read as fetch reads it.
  const o: QueueFields = queue ?? i
  const href = request ? request.url : String(input)
  const from = globalThis.location?.href
  // Editors hit the same few URLs over and over: remember the last one resolved.
  if (href !== last[0] || from !== last[1]) {
    let url: URL
    try {
      url = new URL(href, from)
    } catch (cause) {
      throw Object.assign(fail(`invalid URL ${JSON.stringify(href)}`), { cause })
    }
    checkUrl(url)
    last = [href, from, url.href, url.origin]
  }
  const [, , abs, origin] = last
  let method = i.method ?? request?.method ?? 'GET'
  if (typeof method !== 'string' || (!NORMALIZED.includes(method) && !TOKEN.test(method)))
    throw fail(`invalid method ${JSON.stringify(method)}`)
  const upper = method.toUpperCase()
  if (NORMALIZED.includes(upper)) method = upper
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK')
    throw fail(`forbidden method ${method}`)
  const kind = o.kind ?? (READS.includes(upper) ? 'read' : 'write')
  if (kind !== 'read' && kind !== 'write')
    throw fail(`kind must be 'read' or 'write', got ${JSON.stringify(kind)}`)

  const given =
    i.headers ??
    // Another realm's Headers is not always taken as a HeadersInit: pass its entries instead.
    (request && (request instanceof Request ? request.headers : [...(request as Request).headers]))
  // Validates and snapshots the caller's headers, as fetch does; skipped when there are none.
  const headers = given ? new Headers(given) : undefined
  let body: Item['body'] = i.body
  let ctype: string | undefined
  if (o.json !== undefined) {
    if (body != null) throw fail('pass either body or json, not both')
    body = JSON.stringify(o.json)
    if (!headers?.has('content-type')) ctype = 'application/json'
  } else if (body === undefined && request?.body) {
    if (request.bodyUsed) throw fail('the Request body was already used')
    body = request.arrayBuffer()
    // Another realm's promise and ArrayBuffer fail `instanceof` where the queue awaits the body
    // and the spool encodes it: bring both into this realm.
    if (!(request instanceof Request))
      body = Promise.resolve(body).then((b) =>
        b instanceof ArrayBuffer ? b : new Uint8Array(b).slice().buffer,
      )
  }
  if (body != null && (upper === 'GET' || upper === 'HEAD'))
    throw fail(`a ${upper} request cannot have a body`)
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
    throw fail(
      'a ReadableStream body cannot be queued: a retry could not resend it. Pass a Blob or ArrayBuffer',
    )

  const it = blank(d, id, seq, now, kind, method, abs, headers)
  it.body = body
  it.ctype = ctype
  if (o.dedupe === true) it.dedupe = `${method} ${abs}`
  else if (typeof o.dedupe === 'string') it.dedupe = o.dedupe
  else if (o.dedupe !== undefined && o.dedupe !== false)
    throw fail('dedupe must be a boolean or a string')

  const key = headers?.get('idempotency-key') ?? o.idempotencyKey
  if (key !== undefined && typeof key !== 'string') throw fail('idempotencyKey must be a string')
  if (kind === 'write' || key) {
    it.key = key
    it.hasKey = true
    it.sendKey = !!key || sendsKey(d, origin)
  }

  if (o.retry !== undefined) it.retry = normalizeRetry(o.retry, d.retry, 'init.retry')
  if (o.timeout !== undefined) it.timeout = checkTimeout(o.timeout, 'init.timeout')!
  if (o.throwHttpErrors !== undefined) it.throwHttpErrors = !!o.throwHttpErrors
  it.meta = o.meta
  it.persist = d.spool && (o.persist ?? kind === 'write')
  // Most calls pass none of these: walk the keys the caller gave rather than every field name.
  for (const f in i)
    if ((INIT_FIELDS as readonly string[]).includes(f)) {
      checkField(f, i[f as Field], from)
      keep(it, f, i[f as Field])
    } else if (!OWN.has(f) && (queue || !QUEUE.has(f))) {
      const v = (i as Record<string, unknown>)[f]
      if (v !== undefined) (it.extra ??= {})[f] = v
    }
  if (request)
    for (const f of INIT_FIELDS)
      if (it.init?.[f] === undefined) {
        const v = (request as unknown as Record<Field, unknown>)[f]
        keep(it, f, f === 'mode' && v === 'navigate' ? 'same-origin' : v)
      }
  checkCombination(method, it.init?.mode, it.init?.cache, (i as { window?: unknown }).window)
  return it
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
