/**
 * Input that `fetch` refuses, checked when the call is made. Without these checks the transport
 * would reject every attempt with a `TypeError`, which looks like a connection failure, and the
 * queue would retry it without end while every later write waits. Each check costs a lookup in
 * a short list, and runs only for the fields a call sets.
 */
import { fail } from './http.ts'

/** The values WebIDL accepts for each enum field of `RequestInit`. */
const ENUMS: Record<string, readonly string[]> = {
  mode: ['same-origin', 'no-cors', 'cors', 'navigate'],
  credentials: ['omit', 'same-origin', 'include'],
  cache: ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'],
  redirect: ['follow', 'error', 'manual'],
  referrerPolicy: [
    '',
    'no-referrer',
    'no-referrer-when-downgrade',
    'same-origin',
    'origin',
    'strict-origin',
    'origin-when-cross-origin',
    'strict-origin-when-cross-origin',
    'unsafe-url',
  ],
  priority: ['high', 'low', 'auto'],
}

// Fetch answers these with a network error whatever the request: refuse them up front.
const NEVER = ['about:', 'javascript:', 'ws:', 'wss:']

/** Throws for a URL fetch refuses: credentials in it, or a scheme fetch never loads. */
export function checkUrl(url: URL): void {
  // The message leaves the URL out: it holds a password.
  if (url.username || url.password)
    throw fail('the URL includes credentials; send them in an Authorization header instead')
  if (NEVER.includes(url.protocol)) throw fail(`fetch cannot load ${url.protocol} URLs`)
  if (url.protocol === 'data:' && !url.pathname.includes(','))
    throw fail('a data: URL needs a comma before its data')
}

/**
 * Throws for a `RequestInit` field value fetch refuses. `base` resolves a relative `referrer`.
 * `mode: 'navigate'` is refused here, in an init; a `Request` carrying it (a navigation request
 * in a service worker) is read as `same-origin`, as the `Request` constructor does.
 */
export function checkField(field: string, value: unknown, base: string | undefined): void {
  if (value === undefined) return
  const allowed = ENUMS[field]
  if (allowed) {
    if (typeof value !== 'string' || !allowed.includes(value) || value === 'navigate')
      throw fail(
        `${field} must be ${allowed
          .filter((v) => v !== 'navigate')
          .map((v) => JSON.stringify(v))
          .join(', ')}; got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
      )
  } else if (field === 'referrer' && value !== '') {
    try {
      new URL(String(value), base)
    } catch (cause) {
      throw Object.assign(fail(`referrer ${JSON.stringify(String(value))} is not a valid URL`), {
        cause,
      })
    }
  }
}

/** Throws for combinations fetch refuses, once the fields of the init and the Request are merged. */
export function checkCombination(
  method: string,
  mode: unknown,
  cache: unknown,
  window: unknown,
): void {
  if (window != null) throw fail('window must be null')
  if (mode === 'no-cors' && method !== 'GET' && method !== 'HEAD' && method !== 'POST')
    throw fail(`mode 'no-cors' allows only GET, HEAD and POST, got ${method}`)
  if (cache === 'only-if-cached' && mode !== 'same-origin')
    throw fail("cache 'only-if-cached' needs mode 'same-origin'")
}
