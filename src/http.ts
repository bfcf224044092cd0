/** An HTTP token (RFC 9110 §5.6.2): what a method or a header name may be. */
export const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/

/** Methods `fetch` refuses, in any case. */
export const isForbiddenMethod = (method: string): boolean =>
  /^(connect|trace|track)$/i.test(method)

/** Reads by method; every other method is a write (DESIGN §2.1). */
export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS']

/** `fetch` upper-cases only these; 'patch' stays as given, so the queue does the same. */
export const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']

export const noop = () => {}

/** `fetch-queue: option \`name\` must be …, got …`: the one message form for a bad option. */
export const optionError = (name: string, expected: string, got: unknown): TypeError =>
  new TypeError(
    `fetch-queue: option \`${name}\` must be ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`,
  )
