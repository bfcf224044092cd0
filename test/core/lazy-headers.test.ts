// DESIGN §3: the queue builds a request's `Headers` once, at send time, and only when needed: a
// transport that never reads `request.headers` never pays for one. The headers stay an own
// enumerable property, so a transport that spreads the request (as fetch wrappers do) still
// sends every one of them, the idempotency key included.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { QueueRequest } from '../../src/index.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const OK = () => Promise.resolve(new Response(null, { status: 200 }))

/** Counts every `Headers` built while the test runs. */
function countHeaders() {
  const made = { count: 0 }
  const Real = globalThis.Headers
  vi.stubGlobal(
    'Headers',
    class extends Real {
      constructor(init?: HeadersInit) {
        super(init)
        made.count++
      }
    },
  )
  return made
}
afterEach(() => {
  vi.unstubAllGlobals()
})

const shapes: [string, RequestInit & { json?: unknown }][] = [
  ['a string body', { method: 'POST', body: 'x' }],
  ['a headers object', { method: 'POST', body: 'x', headers: { 'x-client': 'editor' } }],
  ['json:', { method: 'POST', json: { n: 1 } }],
]

describe('headers are built at send time, only when read', () => {
  it.each(shapes)('%s: a transport that never reads them builds no Headers', async (_, init) => {
    const { queue } = setup({ transport: OK })
    const made = countHeaders()
    await queue.fetch(url('/a'), init as RequestInit)
    expect(made.count).toBe(0)
  })

  it('reading them twice builds them once, with the key, the content type and the caller’s headers', async () => {
    const seen: Headers[] = []
    const { queue } = setup({
      transport: (request) => {
        seen.push(request.headers, request.headers)
        return OK()
      },
    })
    const made = countHeaders()
    await queue.fetch(url('/a'), {
      method: 'POST',
      json: { n: 1 },
      headers: { 'x-client': 'editor' },
    } as RequestInit)
    expect(made.count).toBe(1)
    expect(seen[0]).toBe(seen[1])
    expect(Object.fromEntries(seen[0]!)).toEqual({
      'content-type': 'application/json',
      'idempotency-key': expect.stringMatching(/^"[\w-]+"$|^[\w-]+$/),
      'x-client': 'editor',
    })
  })

  it('a transport that spreads the request still sends every header, on every attempt', async () => {
    const sent: Record<string, unknown>[] = []
    let calls = 0
    const { queue, clock } = setup({
      retry: { baseDelay: 1, maxDelay: 1 },
      transport: (request) => {
        sent.push({ ...request })
        return ++calls === 1 ? Promise.reject(new TypeError('Failed to fetch')) : OK()
      },
    })
    const done = queue.fetch(url('/a'), { method: 'PUT', body: 'x', headers: { 'x-a': '1' } })
    await flush()
    await clock.advance(10)
    await done
    expect(sent).toHaveLength(2)
    const [first, second] = sent.map((r) => r.headers as Headers)
    expect(first).toBeInstanceOf(Headers)
    expect(first!.get('x-a')).toBe('1')
    expect(first!.get('idempotency-key')).toBeTruthy()
    // A fresh object per attempt, the same key on both.
    expect(second).not.toBe(first)
    expect(second!.get('idempotency-key')).toBe(first!.get('idempotency-key'))
  })

  it('a transport may replace them', async () => {
    const seen: (string | null)[] = []
    const { queue } = setup({
      transport: (request: QueueRequest) => {
        request.headers = new Headers({ 'x-b': '2' })
        seen.push(request.headers.get('x-b'), request.headers.get('idempotency-key'))
        return OK()
      },
    })
    await queue.fetch(url('/a'), { method: 'POST', body: 'x' })
    expect(seen).toEqual(['2', null])
  })
})
