// ofetch hands its whole options object to `fetch(url, options)`: `retry`, `timeout`, `query`,
// hooks and all. A queue that read those as its own options would change what the client does.
import { createFetch } from 'ofetch'
import { describe, expect, it } from 'vitest'
import { guarantees } from './support/guarantees.ts'
import { compatSuite } from './support/twice.ts'

const suite = compatSuite()
const client = (fetch: typeof globalThis.fetch) =>
  createFetch({ fetch, defaults: { baseURL: suite.server.base, retry: 0 } })

describe('ofetch: the same call through fetch and through the queue', () => {
  const calls: [string, (api: ReturnType<typeof client>) => Promise<unknown>][] = [
    [
      'GET with query and a header',
      (api) => api('api/items', { query: { page: 2 }, headers: { 'x-trace': 'a' } }),
    ],
    [
      'POST with an object body (sent as JSON)',
      (api) => api('echo', { method: 'POST', body: { name: 'stop' } }),
    ],
    ['PUT with a text body', (api) => api('echo', { method: 'PUT', body: 'plain text' })],
  ]
  it.each(calls)('%s: same result, same bytes on the wire', async (_, call) => {
    const run = await suite.twice((fetch) => call(client(fetch)))
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(run.plainWire).toHaveLength(1)
  })
})

guarantees('ofetch', suite, (fetch) => {
  const api = client(fetch)
  return {
    read: (path, signal) => api(path, { signal }),
    write: (method, path, json, signal) => api(path, { method, body: { json }, signal }),
    timed: (path, ms) => api(path, { method: 'POST', body: {}, timeout: ms }),
  }
})
