import type { Settings } from './options.ts'

/**
 * What polling remembers between ticks: the last good answer's validators, sent back as
 * `If-None-Match` and `If-Modified-Since` so an unchanged state costs a `304`, and, with
 * `compare: 'text'`, its body.
 */
export function poller<T>(s: Settings<T>) {
  let etag: string | null = null
  let modified: string | null = null
  let text: string | undefined

  return {
    /** Adds the conditional headers of the last good answer. */
    condition(headers: Headers) {
      if (etag) headers.set('if-none-match', etag)
      if (modified) headers.set('if-modified-since', modified)
    },
    /**
     * Parses a `2xx` body. Returns `[data]`, or nothing when `compare: 'text'` finds the same body
     * as last time. Throws what `parse` throws, and then keeps the old validators: the next poll
     * must not be told "unchanged" about a state it could not read.
     */
    read(headers: Headers, body: string): [T] | undefined {
      const result: [T] | undefined =
        body === text && s.compare === 'text' ? undefined : [s.parse(body)]
      etag = headers.get('etag')
      modified = headers.get('last-modified')
      text = body
      return result
    },
  }
}
