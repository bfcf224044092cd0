import type { FetchQueue } from '../api.ts'
import { isHttpError, isQueueClosedError, NetworkError } from '../errors.ts'
import { hostOf } from '../host.ts'
import { noop } from '../http.ts'
import type { QueueInit } from '../options.ts'
import { parseRetryAfter } from '../retry.ts'
import { same } from './equal.ts'
import { settings, type WatchOptions } from './options.ts'
import { poller } from './poll.ts'
import { createStore, type WatchSnapshot, type WatchStatus } from './store.ts'
import { isEventStream, streamer } from './stream.ts'

/** A live view of one URL: a store that fits `useSyncExternalStore`, and an async iterable. */
export interface Watch<T> {
  /** Calls `listener()` after changes, batched per microtask. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** `{ data, error, status, updatedAt }`: immutable, and the same object until something changes. */
  getSnapshot(): WatchSnapshot<T>
  /**
   * Asks now. A poll waiting in the queue is replaced by one at its tail, so it sees every write
   * enqueued before this call; a stream waiting to reconnect reconnects. An open stream is left
   * as it is.
   */
  refresh(): void
  /** Stops for good: cancels the pending request and the open stream, ends the iterators. */
  close(): void
  /**
   * Successive values of `data`, starting with the current one if there is one. A consumer that
   * is slower than the changes gets the latest value, not every one in between. Ends on
   * `close()`; breaking out of a loop ends that loop only.
   */
  [Symbol.asyncIterator](): AsyncIterator<T>
}

// The watch keeps its own backoff: the queue must not retry a poll or a connection behind it.
const NO_RETRY = { limit: 0, networkLimit: 0 }
// Timers take a signed 32-bit delay; anything longer fires at once.
const clamp = (ms: number) => Math.min(2 ** 31 - 1, ms)
const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)))
let count = 0

/**
 * Keeps `url`'s state in the snapshot: polled through the queue `interval` ms after each answer,
 * or streamed when the server answers with `text/event-stream`. Every request is a read behind
 * the writes enqueued before it, sent with the queue's transport, `beforeSend` and timeout.
 *
 * @example
 * const stats = watch<RouteStats>(queue, `/projects/${id}/stats`)
 * stats.subscribe(() => render(stats.getSnapshot().data))
 */
export function watch<T = unknown>(
  queue: FetchQueue,
  url: string | URL,
  options?: WatchOptions<T>,
): Watch<T> {
  const { clock, online, retry: policy } = hostOf(queue)
  const href = String(url)
  try {
    if (typeof url !== 'string' && !(url instanceof URL)) throw 0
    new URL(href, globalThis.location?.href)
  } catch {
    throw new TypeError(`fetch-queue: watch() needs a valid URL, got ${href}`)
  }
  const s = settings(options)
  const store = createStore<T>()
  const { state } = store
  const equal =
    s.compare === 'json' ? same : s.compare === 'text' ? Object.is : (s.compare as typeof same)
  const poll = poller(s)
  const stream = streamer(
    (event) => {
      failures = 0
      try {
        take([s.reduce(state.data, event)])
      } catch (e) {
        store.set({ error: asError(e) })
      }
    },
    (ms) => {
      base = ms
    },
  )
  // Its own dedupe key: at most one request of this watch is ever pending.
  const dedupe = `watch:${++count}`
  let gen = 0
  let health: WatchStatus = 'connecting'
  let busy = false
  let open = false
  let streaming = false
  let closed = false
  let failures = 0
  // The server's reconnection time (`retry:`), once it sent one.
  let base = policy.baseDelay
  let timer: unknown
  let ctrl: AbortController | undefined

  const paused = () => s.pause && !busy && !open && !s.isVisible()
  /** Shows `patch` and the status: that of the last request (`outcome`), unless paused or closed. */
  const sync = (patch?: Partial<WatchSnapshot<T>>, outcome = health) => {
    health = outcome
    store.set({ ...patch, status: closed ? 'closed' : paused() ? 'paused' : health })
  }

  /** A success, with new data, or with none when the state did not change (a `304`). */
  function take(result?: [T]) {
    const data = result?.[0] as T
    sync(
      result && (state.updatedAt === undefined || !equal(state.data as T, data))
        ? { data, updatedAt: clock.now(), error: undefined }
        : { error: undefined },
      'live',
    )
  }

  /** The n-th reconnect waits random(0, min(maxDelay, base * 2 ** n)); `retry:` is the base. */
  const backoff = () => Math.random() * Math.min(policy.maxDelay, base * 2 ** failures++)

  function request() {
    clock.clearTimeout(timer)
    const g = ++gen
    busy = true
    sync()
    const headers = new Headers(s.headers)
    poll.condition(headers)
    stream.condition(headers)
    queue
      .fetch(href, {
        // As EventSource: Firefox holds a GET behind another tab's still-open response to the
        // same URL (its cache entry lock), and a poll wants the server's answer, not a cached one.
        cache: 'no-store',
        ...s.init,
        headers,
        kind: 'read',
        dedupe,
        retry: NO_RETRY,
        throwHttpErrors: true,
        signal: (ctrl = new AbortController()).signal,
        // Lanes are the queue's; a queue without them ignores the field.
        lane: s.lane,
      } as QueueInit)
      .then(
        (response) => (g === gen ? answer(response, g) : response.body?.cancel().catch(noop)),
        (error) => g === gen && failed(error),
      )
  }

  /**
   * Waits `ms`, then polls or reconnects. While the page is hidden it looks again every
   * `interval`; the online source's "try now" on visible cuts that short.
   */
  function next(ms: number) {
    busy = false
    sync()
    if (!closed)
      timer = clock.setTimeout(() => (paused() ? next(s.interval) : request()), clamp(ms))
  }

  async function answer(response: Response, g: number) {
    const { status } = response
    if (status === 204) return end({ error: undefined })
    if (isEventStream(response)) {
      streaming = open = true
      busy = false
      take()
      let error: Error | undefined
      try {
        await stream.read(response)
      } catch (e) {
        error = new NetworkError(undefined, e)
      }
      open = false
      if (closed) return
      sync(error && { error }, 'retrying')
      return next(backoff())
    }
    streaming = false
    let result: [T] | undefined
    if (status !== 304) {
      let body: string
      try {
        // Only an opaque (`no-cors`) answer gets here without a 2xx: nothing in it can be read.
        if (!response.ok) throw response
        body = await response.text()
      } catch (e) {
        return g === gen && failed(new NetworkError(undefined, e))
      }
      if (g !== gen || closed) return
      try {
        result = poll.read(response.headers, body)
      } catch (e) {
        sync({ error: asError(e) }, 'retrying')
        return next(s.interval)
      }
    }
    failures = 0
    take(result)
    next(s.interval)
  }

  function failed(e: unknown) {
    if (closed) return
    // Input the queue refused, or a disposed queue: the same request would fail the same way.
    if (isQueueClosedError(e) || (e as Error)?.name === 'TypeError')
      return end({ error: e as Error })
    const http = isHttpError(e) ? e : undefined
    const code = http?.response.status ?? 0
    // A stream refused for good (401, 404): EventSource gives up here too.
    if (streaming && code && code < 500 && !policy.statuses.includes(code))
      return end({ error: http })
    sync({ error: e as Error }, 'retrying')
    const after = http && parseRetryAfter(http.response.headers.get('retry-after'), clock.now())
    // The server's `Retry-After` wins; else a stream, or a poll that failed by connection, backs
    // off; a poll the server answered waits its interval.
    const delay =
      after! >= 0 ? Math.min(after!, policy.maxRetryAfter) : streaming || !http ? backoff() : 0
    next(streaming ? delay : Math.max(s.interval, delay))
  }

  const now = () => !closed && !busy && !open && !paused() && request()
  const stopOnline = online.subscribe((isOnline) => isOnline && now())

  function end(patch?: Partial<WatchSnapshot<T>>) {
    if (closed) return
    closed = true
    clock.clearTimeout(timer)
    ctrl?.abort()
    stream.cancel()
    stopOnline()
    sync(patch)
  }

  request()
  return {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    refresh: () => !closed && !open && request(),
    close: () => end(),
    [Symbol.asyncIterator]: store.values,
  }
}
