/** An HTTP token (RFC 9110 §5.6.2): what a method or a header name may be. */
export const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/

/** Methods `fetch` refuses, in any case. */
export const isForbiddenMethod = (method: string): boolean =>
  /^(connect|trace|track)$/i.test(method)

/** Reads by method; every other method is a write (DESIGN §2.1). */
export const READ_METHODS = ['GET', 'HEAD', 'OPTIONS']

/** `fetch` upper-cases only these; 'patch' stays as given, so the queue does the same. */
export const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']

/**
 * A header value `fetch` accepts: no CR, LF or NUL (they would split a header), and bytes only
 * (`Headers` throws on a character over U+00FF).
 */
export const HEADER_VALUE = /^[^\r\n\0\u0100-\uffff]*$/

/**
 * The caller's headers, snapshotted at the call: names and values in one flat list
 * (`[name, value, name, value, …]`, one array per item however many headers), or a copy of its
 * `Headers`.
 */
export type HeaderList = string[] | Headers

/** `fetch-queue: …`: the one form of a TypeError for input the queue refuses, as fetch would. */
export const fail = (message: string) => new TypeError(`fetch-queue: ${message}`)

/**
 * The caller's headers as a flat list, checked as `Headers` would check them, so bad input
 * throws at the call. The `Headers` object itself is built once, at send time: building it here
 * as well would double the cost of a request with headers.
 */
export function headerList(given: HeadersInit): HeaderList {
  // A copy keeps the order the caller's Headers will send in; the send-time copy is the second.
  if (typeof Headers !== 'undefined' && given instanceof Headers) return new Headers(given)
  // Another realm's Headers is read through its forEach.
  if (typeof (given as Headers).forEach === 'function' && !Array.isArray(given)) {
    const list: string[] = []
    ;(given as Headers).forEach((value, name) => {
      list.push(name, value)
    })
    return list
  }
  // Exactly sized: a list grown by push keeps room for 17 entries, and every pending item keeps
  // its list (about 130 bytes more per item with two headers).
  const pairs = Array.isArray(given)
  const names = pairs ? given : Object.keys(given)
  const list = new Array<string>(names.length * 2)
  for (let i = 0; i < names.length; i++) {
    const pair = names[i]
    if (pairs && (!Array.isArray(pair) || pair.length !== 2))
      throw fail('a header must be a [name, value] pair')
    const name = String(pairs ? pair![0] : pair)
    const value = String(pairs ? pair![1] : (given as Record<string, string>)[name]).trim()
    if (!TOKEN.test(name)) throw fail(`invalid header name ${JSON.stringify(name)}`)
    if (!HEADER_VALUE.test(value)) throw fail(`invalid value for header ${name}`)
    list[2 * i] = name
    list[2 * i + 1] = value
  }
  return list
}

/** The value of a header in a list, by case-insensitive name (`name` in lower case). */
export function headerOf(list: HeaderList | undefined, name: string): string | undefined {
  if (!list) return
  if (!Array.isArray(list)) return list.get(name) ?? undefined
  for (let i = 0; i < list.length; i += 2) {
    const n = list[i]!
    if (n.length === name.length && n.toLowerCase() === name) return list[i + 1]
  }
}

/** A fresh `Headers` from a list. `append` per entry: cheaper than the constructor's sequence conversion. */
export function toHeaders(list: HeaderList | undefined): Headers {
  if (!Array.isArray(list)) return new Headers(list)
  const h = new Headers()
  for (let i = 0; i < list.length; i += 2) h.append(list[i]!, list[i + 1]!)
  return h
}

export const noop = () => {}

/** `fetch-queue: option \`name\` must be …, got …`: the one message form for a bad option. */
export const optionError = (name: string, expected: string, got: unknown): TypeError =>
  new TypeError(
    `fetch-queue: option \`${name}\` must be ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`,
  )
