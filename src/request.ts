import { toHeaders } from './http.ts'
import type { Item, Sendable } from './item.ts'
import { keyOf, type Mint, wireValue } from './key.ts'
import type { QueueRequest } from './types.ts'

/** The headers an attempt sends, before `beforeSend`: a fresh object every time. */
export function requestHeaders(it: Sendable, mint: Mint): Headers {
  const h = toHeaders(it.headers)
  const w = it._sendKey
  if (w) h.set(w.name, wireValue(w, keyOf(it, mint)!))
  return h
}

/**
 * The request an attempt hands to the transport. A class, because an object literal with a
 * getter costs ~1 µs to create in V8; the signal getter keeps the AbortController lazy.
 * `headers` is built on first read, so a transport that never reads it never pays for a
 * `Headers` (DESIGN §3): an own enumerable accessor (one shared descriptor, ~0.2 µs), so a
 * transport that spreads the request still sends them.
 */
class LazyRequest {
  url: string
  method: string
  declare headers: Headers
  body: BodyInit | null | undefined
  #signal: { readonly signal: AbortSignal }
  #it: Sendable
  #mint: Mint
  #headers: Headers | undefined

  static #lazy: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: LazyRequest) {
      return (this.#headers ??= requestHeaders(this.#it, this.#mint))
    },
    set(this: LazyRequest, value: Headers) {
      this.#headers = value
    },
  }

  constructor(it: Sendable, mint: Mint, signal: { readonly signal: AbortSignal }) {
    this.url = it.url
    this.method = it.method
    this.body = it.body as BodyInit
    this.#signal = signal
    this.#it = it
    this.#mint = mint
    Object.defineProperty(this, 'headers', LazyRequest.#lazy)
    if (it._extra) Object.assign(this, it._extra)
    if (it.init) Object.assign(this, it.init)
  }

  get signal(): AbortSignal {
    return this.#signal.signal
  }
}

/**
 * The plain request object the transport gets. `plain`: the signal as an own property, for
 * `beforeSend`, which may spread the request (a spread would drop a getter).
 */
export function buildRequest(
  it: Item,
  mint: Mint,
  signal: { readonly signal: AbortSignal },
  plain: boolean,
): QueueRequest {
  // A followed job's attempts poll its status URL (DESIGN §2.10): the job is a request of its own.
  const req = new LazyRequest(it._job ?? it, mint, signal) as unknown as QueueRequest
  return plain ? { ...req, signal: signal.signal } : req
}
