// up-fetch builds a `Request` and calls `fetch(request, options)`, where `options` is its whole
// merged options object (`timeout`, `retry`, parsers and hooks included).
import { up } from 'up-fetch'
import { describe, expect, it } from 'vitest'
import { guarantees } from './support/guarantees.ts'
import { compatSuite } from './support/twice.ts'

const suite = compatSuite()
const client = (fetch: typeof globalThis.fetch) => up(fetch, () => ({ baseUrl: suite.server.base }))

describe('up-fetch: the same call through fetch and through the queue', () => {
  const calls: [string, (api: ReturnType<typeof client>) => Promise<unknown>][] = [
    [
      'GET with params and a header',
      (api) => api('/api/items', { params: { page: 2 }, headers: { 'x-trace': 'a' } }),
    ],
    [
      'POST with an object body (sent as JSON)',
      (api) => api('/echo', { method: 'POST', body: { name: 'stop' } }),
    ],
    ['PUT with a text body', (api) => api('/echo', { method: 'PUT', body: 'plain text' })],
    ['DELETE', (api) => api('/api/items/7', { method: 'DELETE' })],
    ['a 404 surfaces as ResponseError with the status', (api) => api('/status/404')],
  ]
  it.each(calls)('%s: same result, same bytes on the wire', async (_, call) => {
    const run = await suite.twice((fetch) => call(client(fetch)))
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(run.plainWire).toHaveLength(1)
  })
})

guarantees('up-fetch', suite, (fetch) => {
  const api = client(fetch)
  return {
    read: (path, signal) => api(`/${path}`, { signal }),
    write: (method, path, json, signal) => api(`/${path}`, { method, body: { json }, signal }),
    timed: (path, ms) => api(`/${path}`, { method: 'POST', body: {}, timeout: ms }),
  }
})
