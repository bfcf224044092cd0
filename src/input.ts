import { defaultDedupe } from './dedupe.ts'
import { checkCombination, checkField, checkUrl } from './fetch-rules.ts'
import {
  fail,
  HEADER_VALUE,
  headerList,
  headerOf,
  isForbiddenMethod,
  NORMALIZED_METHODS,
  READ_METHODS,
  TOKEN,
} from './http.ts'
import { blank, INIT_FIELDS, type Item, type ItemDefaults, rare } from './item.ts'
import { checkTimeout, normalizeRetry, type QueueFields, type QueueInit } from './options.ts'

const sendsKey = (d: ItemDefaults, origin: string) =>
  d.idempotency === 'always' ||
  (d.idempotency === 'same-origin' &&
    (!globalThis.location?.origin || origin === globalThis.location.origin))

type Field = (typeof INIT_FIELDS)[number]

// Init fields read elsewhere, or that the transport's request defines itself.
/** The header `json:` adds: one frozen list, shared by every item that has no headers of its own. */
const JSON_TYPE = Object.freeze(['content-type', 'application/json']) as string[]

const OWN = new Set(['method', 'headers', 'body', 'signal', 'window', 'url'])
// The queue's own fields, when they come in the init (queue.fetch) rather than apart (asFetch).
const QUEUE = new Set<string>([
  'kind',
  'dedupe',
  'json',
  'meta',
  'persist',
  'follow',
  'lane',
  'retry',
  'timeout',
  'idempotencyKey',
  'throwHttpErrors',
] satisfies (keyof QueueFields)[])

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

// Firefox has no `Request.prototype.body`: there, a Request whose method allows a body may have one.
function hasBody(r: Request) {
  const { method } = r
  return 'body' in r ? r.body != null : method !== 'GET' && method !== 'HEAD'
}

function keep(it: Item, field: string, v: unknown) {
  if (typeof v === 'string' || typeof v === 'boolean') (it.init ??= {})[field as Field] = v
}

/**
 * Builds items from `fetch` arguments. Throws a TypeError for input `fetch` would refuse. The
 * queue's own fields (`dedupe`, `retry`, ...) come from `queue` when given (`asFetch`), else
 * from `init`.
 */
export type ReadInput = (
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  id: string,
  seq: number,
  now: number,
  queue?: QueueFields,
) => Item

/** One reader per queue: it remembers the last URL it resolved, since editors hit the same few. */
export function inputReader(d: ItemDefaults): ReadInput {
  let last: [input: string, base: string | undefined, href: string, origin: string] = [
    '',
    '',
    '',
    '',
  ]
  return (input, init, id, seq, now, queue) => {
    const request = requestOf(input)
    const i = init ?? {}
    // `queue.asFetch` gives the queue's own fields apart: then the init is read as fetch reads it.
    const o: QueueFields = queue ?? i
    const href = request ? request.url : String(input)
    const from = globalThis.location?.href
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
    if (typeof method !== 'string' || (!NORMALIZED_METHODS.includes(method) && !TOKEN.test(method)))
      throw fail(`invalid method ${JSON.stringify(method)}`)
    const upper = method.toUpperCase()
    if (NORMALIZED_METHODS.includes(upper)) method = upper
    if (isForbiddenMethod(method)) throw fail(`forbidden method ${method}`)
    const kind = o.kind ?? (READ_METHODS.includes(upper) ? 'read' : 'write')
    if (kind !== 'read' && kind !== 'write')
      throw fail(`kind must be 'read' or 'write', got ${JSON.stringify(kind)}`)

    // A Headers object of any realm is read through its forEach.
    const given = i.headers ?? request?.headers
    // Validates and snapshots the caller's headers, as fetch does; skipped when there are none.
    let headers = given ? headerList(given) : undefined
    let body: Item['body'] = i.body
    if (o.json !== undefined) {
      if (body != null) throw fail('pass either body or json, not both')
      body = JSON.stringify(o.json)
      // V8 returns a stringified object of more than 32 characters as a chain of pieces. A regular
      // expression joins them into one string, which the pending item then keeps: about 40 bytes
      // and two objects less per item for the garbage collector to copy (DESIGN §3).
      ;/^/.test(body)
      // The content type joins the caller's headers; with none, every such item shares one list.
      if (!headers) headers = JSON_TYPE
      else if (headerOf(headers, 'content-type') === undefined) {
        if (Array.isArray(headers)) headers = headers.concat(JSON_TYPE)
        else headers.set('content-type', 'application/json')
      }
    } else if (body === undefined && request && hasBody(request)) {
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
    if (o.dedupe === true) rare(it)._dedupe = defaultDedupe(method, abs)
    else if (typeof o.dedupe === 'string') rare(it)._dedupe = o.dedupe
    else if (o.dedupe !== undefined && o.dedupe !== false)
      throw fail('dedupe must be a boolean or a string')

    const wire = d.wire
    const set = headerOf(headers, wire.name)
    const mine = o.idempotencyKey
    // Checked here: a bad key would throw when an attempt builds its headers, inside the scheduler.
    // The draft's quoted form holds printable ASCII only.
    if (
      mine !== undefined &&
      !(typeof mine === 'string' && (wire.sf ? /^[ -~]*$/ : HEADER_VALUE).test(mine))
    )
      throw fail(
        `invalid idempotencyKey ${JSON.stringify(mine)}${wire.sf ? ' (printable ASCII only)' : ''}`,
      )
    const key = set ?? mine
    if (kind === 'write' || key) {
      it.key = key
      it._hasKey = true
      // A key header the app set itself is among its headers: it goes out exactly as it was set.
      it._sendKey = set === undefined && (key || sendsKey(d, origin)) ? wire : undefined
    }

    if (o.retry !== undefined) it.retry = normalizeRetry(o.retry, d.retry, 'init.retry')
    if (o.timeout !== undefined) it.timeout = checkTimeout(o.timeout, 'init.timeout')!
    if (o.throwHttpErrors !== undefined) it.throwHttpErrors = !!o.throwHttpErrors
    if (o.lane !== undefined) {
      if (typeof o.lane !== 'string') throw fail(`lane must be a string, got ${String(o.lane)}`)
      it.lane = o.lane
    }
    if (o.meta !== undefined) rare(it)._meta = o.meta
    if (o.follow === false) it._job = null
    it._persist = !!d.spool && (o.persist ?? kind === 'write')
    // Most calls pass none of these: walk the keys the caller gave rather than every field name.
    for (const f in i)
      if ((INIT_FIELDS as readonly string[]).includes(f)) {
        checkField(f, i[f as Field], from)
        keep(it, f, i[f as Field])
      } else if (!OWN.has(f) && (queue || !QUEUE.has(f))) {
        const v = (i as Record<string, unknown>)[f]
        if (v !== undefined) (it._extra ??= {})[f] = v
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
}
