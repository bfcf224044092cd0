import type { QueueFields, QueueInit } from './options.ts'

/** The queue's own options for requests made through `asFetch`: everything but `json`. */
export type FetchOptions = Omit<QueueFields, 'json'>

/** One call made through `asFetch`, as the function form of its options sees it. */
export interface FetchCall {
  /** The URL as the client passed it (absolute when it passed a `Request`). */
  url: string
  /** Upper-cased. */
  method: string
  input: RequestInfo | URL
  init: RequestInit | undefined
}

/**
 * The queue's options for every call, or a function that picks them per call.
 *
 * @example
 * queue.asFetch(({ method, url }) =>
 *   method === 'GET' && url.endsWith('/stats') ? { dedupe: true } : { meta: { url } },
 * )
 */
export type AsFetchOptions = FetchOptions | ((call: FetchCall) => FetchOptions | undefined)

type Enqueue = (
  input: RequestInfo | URL,
  init: QueueInit | undefined,
  queue: QueueFields,
) => Promise<Response>

const href = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : ((input as Request).url ?? String(input))

/**
 * A plain `fetch` over the queue. It reads only the standard `RequestInit` fields of a call, so a
 * client that hands its whole options object to `fetch` (ofetch does: `retry`, `timeout`, ...) is
 * never read as the queue's. The queue's options are the ones given here. Like `fetch`, it
 * resolves with a response of any status, unless `throwHttpErrors: true` is given.
 */
export function asFetch(enqueue: Enqueue, options?: AsFetchOptions): typeof fetch {
  if (typeof options === 'function') {
    const pick = options
    return ((input: RequestInfo | URL, init?: RequestInit) => {
      const request = typeof input === 'object' && !(input instanceof URL) ? input : undefined
      const method = (
        init?.method ??
        (request as Request | undefined)?.method ??
        'GET'
      ).toUpperCase()
      const picked = pick({ url: href(input), method, input, init })
      return enqueue(input, init, { throwHttpErrors: false, ...picked })
    }) as typeof fetch
  }
  const fixed: QueueFields = { throwHttpErrors: false, ...options }
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    enqueue(input, init, fixed)) as typeof fetch
}
