/**
 * `fetch-queue/xhr`: a transport over `XMLHttpRequest`, still the only way every browser reports
 * upload progress.
 *
 * @module fetch-queue/xhr
 */
import type { Transport } from './types.ts'

/** Options of `xhrTransport()`. */
export interface XhrTransportOptions {
  /**
   * How the response body is read before the `Response` is built. Default `'arraybuffer'`;
   * `'blob'` keeps a large download out of the JavaScript heap.
   */
  responseType?: 'arraybuffer' | 'blob'
  /**
   * Report upload progress. Default true. A listener on `xhr.upload` makes every cross-origin
   * request with a body need a CORS preflight, so turn it off for cross-origin APIs that do not
   * answer one. Download progress costs nothing and is always reported.
   */
  uploadProgress?: boolean
  /**
   * Makes each request's `XMLHttpRequest`. Default `new XMLHttpRequest()`, the global read at
   * call time. Tests pass another window's, e.g. happy-dom's.
   *
   * @example
   * xhrTransport({ create: () => new window.XMLHttpRequest() })
   */
  create?: () => XMLHttpRequest
}

// Statuses whose Response may not have a body; the Response constructor throws on one.
const NULL_BODY = [204, 205, 304]

const fail = (message: string) => new TypeError(`fetch-queue/xhr: ${message}`)

/**
 * A transport that sends each attempt with `XMLHttpRequest` and resolves a real `Response`
 * (status, status text, headers, body, `url` after redirects). It reports upload and download
 * progress to the queue, which raises them as throttled `progress` events; aborts with the
 * attempt's signal (a timeout, the caller's abort), rejecting with its reason; and sends
 * `credentials: 'include'` as `withCredentials`. A dropped connection rejects with a
 * `TypeError`, as `fetch` does.
 *
 * XHR cannot send a `ReadableStream` body, nor do `redirect: 'manual' | 'error'` or
 * `mode: 'no-cors'`: such a request rejects with a `TypeError` saying so, before anything is
 * sent. XHR always sends cookies to its own origin, whatever `credentials` says, and has no
 * equivalent for `cache`, `integrity`, `keepalive`, `priority`, `referrer` or `referrerPolicy`,
 * which it leaves out.
 *
 * @example
 * const queue = createQueue({ transport: xhrTransport() })
 * queue.on('progress', ({ item, direction, loaded, total }) => {
 *   if (direction === 'upload' && total) bar(item.meta, loaded / total)
 * })
 * queue.fetch('/photos', { method: 'POST', body: file, meta: { photo: file.name } })
 */
export function xhrTransport(options: XhrTransportOptions = {}): Transport {
  const { responseType = 'arraybuffer', uploadProgress = true, create } = options
  if (responseType !== 'arraybuffer' && responseType !== 'blob')
    throw fail(
      `option \`responseType\` must be 'arraybuffer' or 'blob', got ${String(responseType)}`,
    )
  if (create !== undefined && typeof create !== 'function')
    throw fail(`option \`create\` must be a function, got ${String(create)}`)

  return (request, context) =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = context
      const { body = null, method } = request
      if (signal.aborted) return reject(signal.reason)
      if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
        return reject(
          fail(
            'XMLHttpRequest cannot send a ReadableStream body; send a Blob, an ArrayBuffer or a string',
          ),
        )
      if (request.redirect && request.redirect !== 'follow')
        return reject(
          fail(
            `XMLHttpRequest always follows redirects, so \`redirect: '${request.redirect}'\` cannot be honoured`,
          ),
        )
      if (request.mode === 'no-cors')
        return reject(fail("XMLHttpRequest cannot send `mode: 'no-cors'`"))

      const xhr = create ? create() : new XMLHttpRequest()
      const report =
        (direction: 'upload' | 'download') =>
        ({ loaded, total, lengthComputable }: ProgressEvent) =>
          context.progress?.({ direction, loaded, total: lengthComputable ? total : undefined })
      const abort = () => xhr.abort()

      xhr.open(method, request.url)
      xhr.responseType = responseType
      xhr.withCredentials = request.credentials === 'include'
      for (const [name, value] of request.headers) xhr.setRequestHeader(name, value)
      if (context.progress) {
        xhr.onprogress = report('download')
        if (uploadProgress && body !== null) xhr.upload.onprogress = report('upload')
      }
      xhr.onload = () => {
        const headers = new Headers()
        for (const line of xhr.getAllResponseHeaders().split('\r\n')) {
          const colon = line.indexOf(':')
          if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
        }
        const { status } = xhr
        // Status 0 at load: a network error the browser did not report as one (file:, CORS).
        if (!status) return reject(fail('Network request failed'))
        const empty = method === 'HEAD' || NULL_BODY.includes(status)
        let response: Response
        try {
          response = new Response(empty ? null : xhr.response, {
            status,
            statusText: xhr.statusText,
            headers,
          })
        } catch (error) {
          return reject(error)
        }
        // Without Content-Length no progress event says it was the last one: this one does.
        const n = (xhr.response as { byteLength?: number; size?: number } | null) ?? {}
        const size = n.byteLength ?? n.size ?? 0
        context.progress?.({ direction: 'download', loaded: size, total: size })
        // A constructed Response has an empty url; `fetch`'s says where the redirects ended.
        Object.defineProperty(response, 'url', { value: xhr.responseURL || request.url })
        resolve(response)
      }
      xhr.onerror = xhr.ontimeout = () => reject(new TypeError('Failed to fetch'))
      xhr.onabort = () => reject(signal.reason)
      xhr.onloadend = () => signal.removeEventListener('abort', abort)
      signal.addEventListener('abort', abort, { once: true })
      xhr.send(body as XMLHttpRequestBodyInit | null)
    })
}
