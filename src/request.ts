import { type Item, info } from './item.ts'
import type { TransportContext } from './options.ts'
import type { ItemInfo, QueueRequest, TransferProgress } from './types.ts'

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
  /** The last `progress` event per direction: loaded, total, and when (see progress.ts). */
  sent?: Record<string, [loaded: number, total: number | undefined, at: number]>

  constructor(
    readonly it: Item,
    readonly attempt: number,
    readonly onProgress?: (a: Attempt, progress: TransferProgress) => void,
  ) {}

  progress(progress: TransferProgress): void {
    if (!this.over) this.onProgress?.(this, progress)
  }

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

function randomUuid(): string {
  const c = globalThis.crypto
  // randomUUID exists only in secure contexts; an app on http://192.168.x.x still needs keys.
  if (c.randomUUID) return c.randomUUID()
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 15) | 64
  b[8] = (b[8]! & 63) | 128
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

let random: string | undefined
let counter = 0

/**
 * A UUID-shaped idempotency key: 74 random bits drawn once per page, and a counter in the last
 * 48. Keys stay unique across pages, tabs and reloads (each draws its own random part), and
 * minting one costs a string concatenation instead of a random UUID per write.
 */
function uuid(): string {
  random ??= randomUuid().slice(0, 24)
  return random + (++counter).toString(16).padStart(12, '0')
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
