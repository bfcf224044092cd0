import { toHeaders } from './http.ts'
import type { Item } from './item.ts'
import { keyOf, type Mint, wireValue } from './key.ts'
import type { QueueRequest } from './types.ts'

/** The headers an attempt sends, before `beforeSend`: a fresh object every time. */
export function requestHeaders(it: Item, mint: Mint): Headers {
  const h = toHeaders(it.headers)
  if (it.ctype) h.set('content-type', it.ctype)
  const w = it.sendKey
  if (w) h.set(w.name, wireValue(w, keyOf(it, mint)!))
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
  #signal: { readonly signal: AbortSignal }

  constructor(it: Item, mint: Mint, signal: { readonly signal: AbortSignal }) {
    this.url = it.url
    this.method = it.method
    this.headers = requestHeaders(it, mint)
    this.body = it.body as BodyInit
    this.#signal = signal
    if (it.extra) Object.assign(this, it.extra)
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
  const req = new LazyRequest(it, mint, signal) as unknown as QueueRequest
  return plain ? { ...req, signal: signal.signal } : req
}
