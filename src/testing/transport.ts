import type { Kind, QueueRequest, Transport, TransportContext } from '../types.ts'
import { matchRequest } from './match.ts'

/**
 * An answer for `call.answer()`: a `Response` as it is, a status, or the parts of one. `json` is
 * sent as `JSON.stringify(json)` with `content-type: application/json`.
 *
 * @example
 * call.answer(204)
 * call.answer({ json: { saved: true } })
 * call.answer({ status: 503, headers: { 'retry-after': '5' } })
 */
export type Reply =
  | Response
  | number
  | {
      /** Default 200. */
      status?: number
      statusText?: string
      headers?: HeadersInit
      body?: BodyInit | null
      json?: unknown
    }

/** Which calls a rule or a lookup means: see `TestTransport.on`. */
export type CallMatch = string | RegExp | ((call: TestCall) => boolean)

/** One call the queue made to a `testTransport()`, recorded as it arrived. */
export interface TestCall {
  /** 0-based position in `calls`. */
  readonly index: number
  readonly request: QueueRequest
  readonly context: TransportContext
  readonly method: string
  /** The absolute URL. */
  readonly url: string
  /** `method + ' ' + pathname + search`, e.g. `'POST /stops'`: handy in assertions. */
  readonly label: string
  /** The item's kind (`context.item.kind`). */
  readonly kind: Kind
  /** The request body as text; `undefined` without one, `'[object Blob]'` and such for the rest. */
  readonly body: string | undefined
  /** The `Idempotency-Key` header, or null. */
  readonly key: string | null
  readonly signal: AbortSignal
  /**
   * When the call started and ended, on a counter shared by every start and end of this
   * transport: `a.end < b.start` means `a` had finished before `b` began.
   */
  readonly start: number
  readonly end: number | undefined
  /** The calls that were still in flight when this one started. */
  readonly overlapping: readonly TestCall[]
  /** True once answered, failed, dropped or aborted. */
  readonly settled: boolean
  /** True after `hang()`. */
  readonly hung: boolean
  /** The body parsed as JSON. */
  json<T = unknown>(): T
  /** Resolves the call. Default: an empty 200. */
  answer(reply?: Reply): void
  /** Answers with a failing status, 500 by default, e.g. `fail(503, { headers: { 'retry-after': '2' } })`. */
  fail(status?: number, reply?: Exclude<Reply, Response | number>): void
  /**
   * The connection drops: the call rejects with `error`, by default a
   * `TypeError('Failed to fetch')`, as `fetch` rejects. The server may or may not have seen it.
   */
  drop(error?: unknown): void
  /**
   * The server never answers. Only the call's signal ends it (the queue's timeout, an abort,
   * `dispose()`); `next()` and `open()` skip it.
   */
  hang(): void
}

/** What `testTransport()` returns. Pass `transport` to `createQueue`. */
export interface TestTransport {
  readonly transport: Transport
  /** Every call, in the order they started. */
  readonly calls: readonly TestCall[]
  /** Calls started and not settled yet. */
  readonly live: readonly TestCall[]
  /** The most calls that were ever in flight at once. */
  readonly maxLive: number
  /** Every pair of calls that were in flight at the same time, `[earlier, later]`. */
  readonly overlaps: readonly (readonly [TestCall, TestCall])[]
  /**
   * The pairs in `overlaps` with a write in them: a write beside a read or another write. The
   * queue promises none, so `expect(t.writeOverlaps).toEqual([])`.
   */
  readonly writeOverlaps: readonly (readonly [TestCall, TestCall])[]
  /** `label` of every call, in order. */
  labels(): string[]
  /** Calls not settled and not hung, optionally only those that match. */
  open(match?: CallMatch): TestCall[]
  /**
   * The first open call that matches, or the next one to arrive. With fake timers, advance them
   * first: this waits on the queue, not on time.
   */
  next(match?: CallMatch): Promise<TestCall>
  /**
   * Runs `handler` on every call that matches, as it arrives (and on open ones already there),
   * until the returned function is called. A handler that does not settle the call leaves it
   * to the next rule or to the test. Rules run in the order they were added.
   *
   * A string matches by method and URL: `'POST /stops'`, `'/stats'` (any method),
   * `'GET https://api.test/stats?day=1'`. A path or URL without `?` ignores the query; `*` at
   * the end matches any rest; `'*'` alone matches every call.
   *
   * @example
   * t.on('GET /stats', (call) => call.answer({ json: { count: 3 } }))
   * t.on('POST /stops', (call) => call.drop()) // every save loses its connection
   */
  on(match: CallMatch, handler: (call: TestCall) => void): () => void
}

/** Options of `testTransport()`. */
export interface TestTransportOptions {
  /**
   * Keep a call open when its signal aborts, like a transport that ignores `signal`. Default
   * false: an abort rejects the call with the signal's reason, as `fetch` does.
   */
  ignoreAbort?: boolean
}

const READS = ['GET', 'HEAD', 'OPTIONS']
const NULL_BODY = [101, 103, 204, 205, 304]

function text(body: QueueRequest['body']): string | undefined {
  if (body == null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new TextDecoder().decode(body)
  if (body instanceof URLSearchParams) return body.toString()
  return Object.prototype.toString.call(body)
}

function toResponse(reply: Reply = 200): Response {
  if (reply instanceof Response) return reply
  const r = typeof reply === 'number' ? { status: reply } : reply
  const status = r.status ?? 200
  const headers = new Headers(r.headers)
  let body = r.body ?? null
  if (r.json !== undefined) {
    body = JSON.stringify(r.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  return new Response(NULL_BODY.includes(status) ? null : body, {
    status,
    statusText: r.statusText ?? '',
    headers,
  })
}

/** A bad pattern throws at the test's own call, not later inside the transport. */
function checkMatch(match: unknown): CallMatch | undefined {
  if (
    match === undefined ||
    typeof match === 'string' ||
    typeof match === 'function' ||
    match instanceof RegExp
  )
    return match as CallMatch | undefined
  throw new TypeError(
    `testTransport: a call match must be a string, a RegExp or a function, got ${String(match)}`,
  )
}

const matches = (match: CallMatch | undefined, call: TestCall): boolean =>
  match === undefined ||
  (typeof match === 'function' ? match(call) : matchRequest(match, call.method, call.url))

/**
 * A transport the test answers. Every call is recorded with its request, timing and the calls
 * it overlapped, and stays open until the test (or a rule) answers, fails, drops or hangs it.
 * Nothing global is stubbed, so it runs beside msw or any other test double.
 *
 * @example
 * const t = testTransport()
 * const queue = createQueue({ transport: t.transport })
 * queue.fetch('/stops', { method: 'POST', json: stops })
 * const save = await t.next('POST /stops')
 * expect(save.json()).toEqual(stops)
 * save.answer({ json: { rev: 2 } })
 */
export function testTransport(options: TestTransportOptions = {}): TestTransport {
  let time = 0
  let maxLive = 0
  const calls: TestCall[] = []
  const live = new Set<TestCall>()
  const overlaps: [TestCall, TestCall][] = []
  const rules: [CallMatch, (call: TestCall) => void][] = []
  const waiting: [CallMatch | undefined, (call: TestCall) => void][] = []
  const isOpen = (c: TestCall) => !c.settled && !c.hung

  const offer = (call: TestCall) => {
    for (const rule of [...rules]) {
      if (!isOpen(call)) return
      // A handler may have removed a later rule.
      if (rules.includes(rule) && matches(rule[0], call)) rule[1](call)
    }
    const i = waiting.findIndex(([match]) => isOpen(call) && matches(match, call))
    if (i >= 0) waiting.splice(i, 1)[0]![1](call)
  }

  const transport: Transport = (request, context) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(request.url)
      let settled = false
      let hung = false
      const finish = () => {
        if (settled) return false
        settled = true
        call.end = ++time
        live.delete(call)
        return true
      }
      const call: TestCall & { end: number | undefined } = {
        index: calls.length,
        request,
        context,
        method: request.method,
        url: request.url,
        label: `${request.method} ${url.pathname}${url.search}`,
        kind: context.item?.kind ?? (READS.includes(request.method) ? 'read' : 'write'),
        body: text(request.body),
        key: request.headers.get('idempotency-key'),
        signal: context.signal,
        start: ++time,
        end: undefined,
        overlapping: [...live],
        get settled() {
          return settled
        },
        get hung() {
          return hung
        },
        json: () => JSON.parse(call.body ?? ''),
        answer(reply) {
          // Built before finish(): a bad reply throws at the test's call, the call stays open.
          const response = toResponse(reply)
          if (finish()) resolve(response)
        },
        fail(status = 500, reply = {}) {
          call.answer({ ...reply, status })
        },
        drop(...error: unknown[]) {
          if (finish()) reject(error.length ? error[0] : new TypeError('Failed to fetch'))
        },
        hang() {
          hung = true
        },
      }
      for (const other of live) overlaps.push([other, call])
      calls.push(call)
      live.add(call)
      maxLive = Math.max(maxLive, live.size)
      if (!options.ignoreAbort) {
        const onAbort = () => call.drop(context.signal.reason)
        if (context.signal.aborted) onAbort()
        else context.signal.addEventListener('abort', onAbort, { once: true })
      }
      offer(call)
    })

  const open = (match?: CallMatch) => {
    checkMatch(match)
    return calls.filter((c) => isOpen(c) && matches(match, c))
  }

  return {
    transport,
    calls,
    get live() {
      return [...live]
    },
    get maxLive() {
      return maxLive
    },
    overlaps,
    get writeOverlaps() {
      return overlaps.filter(([a, b]) => a.kind === 'write' || b.kind === 'write')
    },
    labels: () => calls.map((c) => c.label),
    open,
    next(match) {
      checkMatch(match)
      const first = open(match)[0]
      if (first) return Promise.resolve(first)
      return new Promise((resolve) => waiting.push([match, resolve]))
    },
    on(match, handler) {
      checkMatch(match)
      if (typeof handler !== 'function')
        throw new TypeError(`testTransport: on() needs a handler function, got ${String(handler)}`)
      const rule: [CallMatch, (call: TestCall) => void] = [match, handler]
      rules.push(rule)
      for (const call of open(match)) if (isOpen(call)) handler(call)
      return () => {
        const i = rules.indexOf(rule)
        if (i >= 0) rules.splice(i, 1)
      }
    },
  }
}
