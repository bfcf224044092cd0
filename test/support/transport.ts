import type { QueueRequest, Transport, TransportContext } from '../../src/index.ts'

export interface Call {
  /** 0-based index in `calls`. */
  index: number
  request: QueueRequest
  context: TransportContext
  method: string
  url: string
  /** `method + ' ' + pathname + search`, handy in assertions. */
  label: string
  /** The request body as text (undefined when there is none). */
  body: string | undefined
  /** Logical time (a counter shared by starts and ends) when the call started and ended. */
  start: number
  end: number | undefined
  /** Calls that were still in flight when this one started. */
  overlapping: Call[]
  signal: AbortSignal
  /** Resolves the call with a Response, or a status (plus optional body/headers). */
  respond(response?: Response | number, body?: BodyInit | null, headers?: HeadersInit): void
  /** Rejects the call, by default like a dropped connection. */
  fail(...error: [] | [unknown]): void
  /** Resolves with something that is not a Response. */
  resolveWith(value: unknown): void
  readonly settled: boolean
}

export interface ControlledTransport {
  transport: Transport
  calls: Call[]
  /** Calls started and not settled yet. */
  readonly live: Call[]
  /** The largest number of calls ever in flight at once. */
  readonly maxLive: number
  /** Every pair of calls that were in flight at the same time. */
  readonly overlaps: [Call, Call][]
  labels(): string[]
}

export interface ControlledOptions {
  /** Answer a call as soon as it starts. Return undefined to leave it for the test. */
  auto?: (call: Call) => Response | number | Error | undefined
  /** Keep the call running when its signal aborts, like a transport that ignores `signal`. */
  ignoreAbort?: boolean
}

const text = (body: QueueRequest['body']): string | undefined => {
  if (body == null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body)
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body)
  if (body instanceof URLSearchParams) return body.toString()
  return `[${Object.prototype.toString.call(body)}]`
}

/**
 * A transport whose calls stay open until the test settles them. It records when each call starts
 * and ends and which calls overlapped, so ordering rules can be asserted directly.
 */
export function controlledTransport(options: ControlledOptions = {}): ControlledTransport {
  let time = 0
  const calls: Call[] = []
  const live = new Set<Call>()
  const overlaps: [Call, Call][] = []
  let maxLive = 0

  const transport: Transport = (request, context) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(request.url)
      let settled = false
      const finish = () => {
        if (settled) return false
        settled = true
        call.end = ++time
        live.delete(call)
        return true
      }
      const call: Call = {
        index: calls.length,
        request,
        context,
        method: request.method,
        url: request.url,
        label: `${request.method} ${url.pathname}${url.search}`,
        body: text(request.body),
        start: ++time,
        end: undefined,
        overlapping: [...live],
        signal: context.signal,
        respond(response = 200, body, headers) {
          if (!finish()) return
          resolve(
            typeof response === 'number'
              ? new Response(
                  response === 204 || response === 304 ? null : (body ?? `${response}`),
                  {
                    status: response,
                    headers,
                  },
                )
              : response,
          )
        },
        fail(...args: unknown[]) {
          // fail() is a dropped connection; fail(undefined) rejects with undefined itself.
          if (finish()) reject(args.length ? args[0] : new TypeError('Failed to fetch'))
        },
        resolveWith(value) {
          if (finish()) resolve(value as Response)
        },
        get settled() {
          return settled
        },
      }
      for (const other of live) overlaps.push([other, call])
      calls.push(call)
      live.add(call)
      maxLive = Math.max(maxLive, live.size)
      if (!options.ignoreAbort) {
        const onAbort = () => call.fail(context.signal.reason)
        if (context.signal.aborted) onAbort()
        else context.signal.addEventListener('abort', onAbort, { once: true })
      }
      const answer = options.auto?.(call)
      if (answer instanceof Error) call.fail(answer)
      else if (answer !== undefined) call.respond(answer)
    })

  return {
    transport,
    calls,
    get live() {
      return [...live]
    },
    get maxLive() {
      return maxLive
    },
    get overlaps() {
      return overlaps
    },
    labels: () => calls.map((c) => c.label),
  }
}
