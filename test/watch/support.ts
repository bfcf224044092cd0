import { afterEach } from 'vitest'
import type { QueueOptions } from '../../src/options.ts'
import type { WatchOptions } from '../../src/watch/options.ts'
import { type Watch, watch } from '../../src/watch/watch.ts'
import { type Harness, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import type { Call } from '../support/transport.ts'

export { url }

const open = new Set<Watch<unknown>>()
afterEach(() => {
  for (const w of open) w.close()
  open.clear()
})

export interface WatchHarness<T> extends Harness {
  w: Watch<T>
  /** What `isVisible()` answers; `show()` also says "try now", as the browser's online source does. */
  page: { visible: boolean; hide(): void; show(): void }
  /** How many times subscribers were called. */
  readonly notified: number
  /** The transport calls the watch made (its GETs), in order. */
  gets(): Call[]
  /** The last call, once the test let it start. */
  last(): Call
}

/**
 * A watch on a queue with a controlled transport, a fake clock and a fake online source (no
 * attempt timeout, so the clock holds only the watch's own timers). Closed after the test.
 */
export function watched<T = unknown>(
  path = '/state',
  options: WatchOptions<T> = {},
  queueOptions: QueueOptions = {},
  /** Runs on the queue before the watch starts: to enqueue a write ahead of it, say. */
  before?: (h: Harness) => void,
): WatchHarness<T> {
  const h = setup({ timeout: false, ...queueOptions })
  before?.(h)
  const page = {
    visible: true,
    hide() {
      page.visible = false
    },
    show() {
      page.visible = true
      h.online.becomeVisible()
    },
  }
  const w = watch<T>(h.queue, url(path), { isVisible: () => page.visible, ...options })
  open.add(w as Watch<unknown>)
  let notified = 0
  w.subscribe(() => {
    notified++
  })
  return {
    ...h,
    w,
    page,
    get notified() {
      return notified
    },
    gets: () => h.t.calls.filter((c) => c.url === url(path)),
    last: () => h.t.calls.at(-1)!,
  }
}

/** Answers a call with JSON, plus any headers (an `etag`, say). */
export function json(call: Call, data: unknown, headers: Record<string, string> = {}) {
  call.respond(200, JSON.stringify(data), { 'content-type': 'application/json', ...headers })
}

/** Advances the clock one timer at a time until the transport sees another call. */
export async function nextCall(h: Harness, max = 50): Promise<Call> {
  const n = h.t.calls.length
  await flush()
  for (let i = 0; i < max && h.t.calls.length === n; i++) {
    if (!(await h.clock.next())) break
  }
  if (h.t.calls.length === n) throw new Error('no new transport call')
  return h.t.calls.at(-1)!
}

export interface EventStream {
  /** A `200 text/event-stream` Response over the body this test writes to. */
  response(headers?: Record<string, string>): Response
  /** Sends text (UTF-8 encoded) or raw bytes. */
  push(chunk: string | Uint8Array): void
  /** The server ends the stream cleanly. */
  end(): void
  /** The connection drops mid-stream. */
  drop(): void
  /** Whether the client cancelled the body. */
  readonly cancelled: boolean
}

/** A server-sent event stream the test controls, chunk by chunk. */
export function eventStream(): EventStream {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c
    },
    cancel() {
      cancelled = true
    },
  })
  const encoder = new TextEncoder()
  return {
    response: (headers = {}) =>
      new Response(body, { headers: { 'content-type': 'text/event-stream', ...headers } }),
    push(chunk) {
      controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
    },
    end: () => controller.close(),
    drop: () => controller.error(new TypeError('network error')),
    get cancelled() {
      return cancelled
    },
  }
}
