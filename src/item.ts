import type { HeaderList } from './http.ts'
import type { List } from './list.ts'
import type { ItemInfo, ItemState, JsonValue, Kind, Policy, QueueRequest } from './types.ts'

/** A caller waiting on the item: its promise (to mark it handled when it rejects) and resolvers. */
export type Waiter = [
  promise: Promise<Response>,
  /** Resolves it, or rejects it when given a rejected promise. */
  settle: (value: Response | Promise<never>) => void,
]

/** The `RequestInit` fields an item keeps (and a record stores) besides method, headers and body. */
export const INIT_FIELDS = [
  'credentials',
  'mode',
  'cache',
  'redirect',
  'referrer',
  'referrerPolicy',
  'integrity',
  'keepalive',
  'priority',
] as const
export type StoredInit = Partial<Record<(typeof INIT_FIELDS)[number], string | boolean>>

/**
 * How a key goes on the wire (DESIGN §2.5): the header's name (lower case) and whether the value is
 * the IETF draft's quoted Structured Field String.
 */
export interface KeyWire {
  name: string
  sf: boolean
}

/** What an item knows of its attempt on the wire; `Attempt` (attempts.ts) is the one kind. */
export interface AttemptState {
  /** The attempt has been settled; whatever the transport does later is ignored. */
  _over?: boolean
  _ctrl?: AbortController
  /** Why the attempt was cut short: timeout, abort, supersede, dispose. */
  _reason?: unknown
  /** The request it sends, once built. */
  _req?: QueueRequest
}

/** The queue's private view of one request. Everything a spool needs is plain data. */
export interface Item {
  id: string
  _seq: number
  /** The name of its lane (DESIGN §2.9); `''` is the default lane. */
  lane: string
  /** Its lane, set when it joins it. */
  _home: Lane | undefined
  kind: Kind
  method: string
  url: string
  /** The caller's headers (and `json:`'s content type); the key is added per attempt. Never changed. */
  headers: HeaderList | undefined
  /** How attempts send the key: its header and form. Undefined: they send none. */
  _sendKey: KeyWire | undefined
  /** Whether the item has an idempotency key (every write does). */
  _hasKey: boolean
  /** A promise while the body of a `Request` input is still being read. */
  body: BodyInit | null | undefined | Promise<ArrayBuffer>
  init: StoredInit | undefined
  /** Init fields the queue does not know (`dispatcher`, `next`, `cf`, ...): sent, never stored. */
  _extra: Record<string, unknown> | undefined
  /** The idempotency key; minted on first use (store or send), see `keyOf`. */
  key: string | undefined
  _persist: boolean
  durable: boolean
  /** Whether the spool holds a record of it. */
  _stored: boolean
  at: number
  attempts: number
  _netFails: number
  /**
   * The item may have reached the server without an answer: its last attempt failed by
   * connection, or it was restored from the spool (the page may have died mid-send).
   */
  _doubt: boolean
  _statusFails: number
  state: ItemState
  retry: Policy
  timeout: number | false
  throwHttpErrors: boolean
  /** The first caller's promise and what settles it, kept inline: most items have exactly one. */
  _promise: Promise<Response> | undefined
  _resolve: Waiter[1] | undefined
  /** Settled for its callers while its request is still on the wire. */
  _done: boolean
  /** The attempt on the wire, if any. */
  _att: AttemptState | undefined
  _prev: Item | undefined
  _next: Item | undefined
  _info: ItemInfo | undefined
  /** Work to finish before the first attempt: reading a `Request` body, storing in the spool. */
  _pending: Promise<unknown> | undefined
  /** What most items never have, made on first use (see `rare`). */
  _rare: Rare | undefined
  /**
   * The `202 Accepted` job it follows (DESIGN §2.10): then its attempts poll the status URL.
   * `null`: `follow: false`, a 202 is delivered as it is.
   */
  _job: Job | null | undefined
}

/**
 * The fields most items never set, in one object made the first time one is: every field of the
 * item itself costs each pending item 8 bytes (and its share of every garbage collection).
 */
export interface Rare {
  /** The caller's dedupe key. */
  _dedupe?: string
  _meta?: JsonValue
  /** The caller's signal, and the listener the item put on it. */
  _signal?: AbortSignal
  _onAbort?: () => void
  /** Callers of superseded items, who follow this one. */
  _more?: Waiter[] | undefined
  /** Its backoff: the timer, when it ends, and the error that started it. */
  _timer?: unknown
  _nextAttemptAt?: number | undefined
  _error?: Error | undefined
}

/**
 * The item's rare fields, made on first use. They start out absent rather than each set: only
 * rare paths read them, so their few shapes cost less than the bytes of a full literal.
 */
export const rare = (it: Item): Rare => (it._rare ??= {})

/**
 * What an attempt sends: the item's own request, or the poll of the job it follows, which has no
 * headers, body or key of its own.
 */
export type Sendable = Pick<Item, 'url' | 'method' | 'init' | '_extra'> &
  Partial<Pick<Item, 'headers' | '_sendKey' | '_hasKey' | 'key' | 'body'>>

/**
 * A job an item follows. It is a request of its own, a GET of the status URL, so the item's next
 * attempts poll it with the queue's transport, `beforeSend` and timeout, under `maxParallel`.
 */
export interface Job extends Pick<Item, 'url' | 'method' | 'init' | '_extra'> {
  /** When the 202 arrived (clock milliseconds): the job's deadline counts from it, across reloads. */
  acceptedAt: number
  /** When the next poll is due (clock milliseconds), kept in the spool so a reload keeps the pace. */
  nextPollAt: number
}

/**
 * The job of `it`, polled at `url`: a GET that keeps the item's init fields (`credentials`,
 * `mode`, …), but neither its headers and body nor an `integrity` that describes another resource.
 */
export function jobOf(it: Item, url: string, acceptedAt: number, nextPollAt: number): Job {
  const { integrity: _, ...init } = it.init ?? {}
  return { url, method: 'GET', init, _extra: it._extra, acceptedAt, nextPollAt }
}

/** The queue's settings an item starts from. One object per queue. */
export interface ItemDefaults {
  retry: Policy
  timeout: number | false
  idempotency: 'same-origin' | 'always' | false
  /** How the queue sends keys (`idempotencyHeader`, `idempotencyFormat`). */
  wire: KeyWire
  throwHttpErrors: boolean
  /** Set when the queue has a spool. */
  spool: unknown
}

/** A fresh item with every field set, so all items share one shape. */
export function blank(
  d: ItemDefaults,
  id: string,
  seq: number,
  at: number,
  kind: Kind,
  method: string,
  url: string,
  headers: HeaderList | undefined,
): Item {
  return {
    id,
    _seq: seq,
    lane: '',
    _home: undefined,
    kind: kind,
    method,
    url,
    headers,
    _sendKey: undefined,
    _hasKey: false,
    body: undefined,
    init: undefined,
    _extra: undefined,
    key: undefined,
    _persist: false,
    durable: false,
    _stored: false,
    at,
    attempts: 0,
    _netFails: 0,
    _doubt: false,
    _statusFails: 0,
    state: 'queued',
    retry: d.retry,
    timeout: d.timeout,
    throwHttpErrors: d.throwHttpErrors,
    _promise: undefined,
    _resolve: undefined,
    _done: false,
    _att: undefined,
    _prev: undefined,
    _next: undefined,
    _info: undefined,
    _pending: undefined,
    _rare: undefined,
    _job: undefined,
  }
}

/**
 * Public info, built once per change of the item. It is the only way an app learns an item's id,
 * so an item becomes findable by id (`retry(id)`, `discard(id)`) here, while it is in its lane:
 * a queue nobody watches pays nothing for the lookup. A followed job is `accepted` until it ends.
 */
export function info(it: Item): ItemInfo {
  if (it._info) return it._info
  const home = it._home
  if (home && (it._prev || home._head === it)) home._ids.set(it.id, it)
  return (it._info = Object.freeze({
    id: it.id,
    lane: it.lane,
    method: it.method,
    url: it.url,
    kind: it.kind,
    state: it._job ? 'accepted' : it.state,
    attempts: it.attempts,
    nextAttemptAt: it._rare?._nextAttemptAt,
    error: it._rare?._error,
    meta: it._rare?._meta,
    enqueuedAt: it.at,
    durable: it.durable,
    location: it._job?.url,
  }))
}

/** One ordered lane (DESIGN §2.9): its items in enqueue order and the reads it has in flight. */
export interface Lane extends List<Item> {
  readonly name: string
  /** The queue's items whose public info exists, by id (shared by its lanes). */
  readonly _ids: Map<string, Item>
  _reads: number
  /** `pause(name)` was called. */
  _paused: boolean
  /** Waiting in the scheduler's heap for a free slot under `maxParallel`. */
  _waiting: boolean
  /** The seq of its oldest runnable item when it started waiting: its place in the heap. */
  _since: number
}
