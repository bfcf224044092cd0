/**
 * Whether a request matches a pattern of `TestTransport.on`. A string matches by method and URL:
 * `'POST /stops'`, `'/stats'` (any method), `'GET https://api.test/stats?day=1'`; a path or URL
 * without `?` ignores the query, `*` at the end matches any rest, and `'*'` matches everything.
 * A RegExp is tested against `'METHOD url'`.
 */
export function matchRequest(pattern: string | RegExp, method: string, href: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(`${method} ${href}`)
  if (pattern === '*') return true
  const space = pattern.indexOf(' ')
  const want = space > 0 ? pattern.slice(0, space) : undefined
  let where = space > 0 ? pattern.slice(space + 1) : pattern
  if (want && want.toUpperCase() !== method.toUpperCase()) return false
  const url = new URL(href)
  const full = /^[a-z][a-z\d+.-]*:/i.test(where)
  let subject = full ? url.origin + url.pathname : url.pathname
  if (where.includes('?')) subject += url.search
  if (where.endsWith('*')) {
    where = where.slice(0, -1)
    return subject.startsWith(where)
  }
  return subject === where
}
