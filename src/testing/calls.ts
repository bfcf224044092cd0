import type { Kind, QueueRequest, Transport, TransportContext } from '../types.ts'

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
