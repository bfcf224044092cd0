import { JobError } from './errors.ts'

/**
 * The status URL of a `202 Accepted` (DESIGN §2.10): `Operation-Location`, else `Location`,
 * resolved against the response's URL, or against the request's when the response has none (a
 * `Response` a transport built itself). Undefined when the answer names none.
 *
 * Throws a `JobError` (`'status-url'`) for a URL the queue must not poll: one that is not http or
 * https, or whose origin is neither the page's, nor the job request's (the app already sends that
 * server its requests), nor one of the spool's `allowedOrigins`. Every poll carries what
 * `beforeSend` adds, so a status URL elsewhere could hand another server the app's credentials.
 */
export function statusUrl(
  response: Response,
  request: string,
  allowedOrigins: readonly string[] | undefined,
): string | undefined {
  const raw = response.headers.get('operation-location') ?? response.headers.get('location')
  if (raw === null) return
  const refuse = (why: string, cause?: unknown) =>
    new JobError('status-url', raw, `The job's status URL ${raw} is not polled: ${why}`, { cause })
  let url: URL
  try {
    url = new URL(raw, response.url || request)
  } catch (cause) {
    throw refuse('it is not a valid URL', cause)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse(`it is a ${url.protocol} URL, not http or https`)
  const { origin } = url
  const page = globalThis.location?.origin
  if (origin !== page && origin !== new URL(request).origin && !allowedOrigins?.includes(origin))
    throw refuse(
      `${origin} is neither the page's origin, nor the request's, nor one of the spool's allowedOrigins`,
    )
  return url.href
}
