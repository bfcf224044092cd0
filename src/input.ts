import { defaultDedupe } from './dedupe.ts'
import {
  headerList,
  headerOf,
  isForbiddenMethod,
  NORMALIZED_METHODS,
  READ_METHODS,
  TOKEN,
} from './http.ts'
import { blank, INIT_FIELDS, type Item, type ItemDefaults } from './item.ts'
import { checkTimeout, normalizeRetry, type QueueInit } from './options.ts'

const fail = (message: string) => new TypeError(`fetch-queue: ${message}`)

const sendsKey = (d: ItemDefaults, origin: string) =>
  d.idempotency === 'always' ||
  (d.idempotency === 'same-origin' &&
    (!globalThis.location?.origin || origin === globalThis.location.origin))

type Field = (typeof INIT_FIELDS)[number]

function keep(it: Item, field: string, v: unknown) {
  if (typeof v === 'string' || typeof v === 'boolean') (it.init ??= {})[field as Field] = v
}

/** Builds items from `fetch` arguments. Throws a TypeError for input `fetch` would refuse. */
export type ReadInput = (
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  id: string,
  seq: number,
  now: number,
) => Item

/** One reader per queue: it remembers the last URL it resolved, since editors hit the same few. */
export function inputReader(d: ItemDefaults): ReadInput {
  let last: [input: string, base: string | undefined, href: string, origin: string] = [
    '',
    '',
    '',
    '',
  ]
  return (input, init, id, seq, now) => {
    const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined
    const i = init ?? {}
    const href = request ? request.url : String(input)
    const from = globalThis.location?.href
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
    if (typeof method !== 'string' || (!NORMALIZED_METHODS.includes(method) && !TOKEN.test(method)))
      throw fail(`invalid method ${JSON.stringify(method)}`)
    const upper = method.toUpperCase()
    if (NORMALIZED_METHODS.includes(upper)) method = upper
    if (isForbiddenMethod(method)) throw fail(`forbidden method ${method}`)
    const kind = i.kind ?? (READ_METHODS.includes(upper) ? 'read' : 'write')
    if (kind !== 'read' && kind !== 'write')
      throw fail(`kind must be 'read' or 'write', got ${JSON.stringify(kind)}`)

    const given = i.headers ?? request?.headers
    // Validates and snapshots the caller's headers, as fetch does; skipped when there are none.
    const headers = given ? headerList(given) : undefined
    let body: Item['body'] = i.body
    let ctype: string | undefined
    if (i.json !== undefined) {
      if (body != null) throw fail('pass either body or json, not both')
      body = JSON.stringify(i.json)
      if (headerOf(headers, 'content-type') === undefined) ctype = 'application/json'
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

    const it = blank(d, id, seq, now, kind, method, abs, headers)
    it.body = body
    it.ctype = ctype
    if (i.dedupe === true) it.dedupe = defaultDedupe(method, abs)
    else if (typeof i.dedupe === 'string') it.dedupe = i.dedupe
    else if (i.dedupe !== undefined && i.dedupe !== false)
      throw fail('dedupe must be a boolean or a string')

    const key = headerOf(headers, 'idempotency-key') ?? i.idempotencyKey
    if (key !== undefined && typeof key !== 'string') throw fail('idempotencyKey must be a string')
    if (kind === 'write' || key) {
      it.key = key
      it.hasKey = true
      it.sendKey = !!key || sendsKey(d, origin)
    }

    if (i.retry !== undefined) it.retry = normalizeRetry(i.retry, d.retry, 'init.retry')
    if (i.timeout !== undefined) it.timeout = checkTimeout(i.timeout, 'init.timeout')!
    if (i.throwHttpErrors !== undefined) it.throwHttpErrors = !!i.throwHttpErrors
    if (i.lane !== undefined) {
      if (typeof i.lane !== 'string') throw fail(`lane must be a string, got ${String(i.lane)}`)
      it.lane = i.lane
    }
    it.meta = i.meta
    it.persist = d.spool && (i.persist ?? kind === 'write')
    // Most calls pass none of these: walk the keys the caller gave rather than every field name.
    for (const f in i)
      if ((INIT_FIELDS as readonly string[]).includes(f)) keep(it, f, i[f as Field])
    if (request)
      for (const f of INIT_FIELDS)
        if (it.init?.[f] === undefined)
          keep(it, f, (request as unknown as Record<Field, unknown>)[f])
    return it
  }
}
