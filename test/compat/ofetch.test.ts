// ofetch hands its whole options object to `fetch(url, options)`: `retry`, `timeout`, `query`,
// hooks and all. A queue that read those as its own options would change what the client does.
import { createFetch } from 'ofetch'
import { describe, expect, it } from 'vitest'
import { fakeClock } from '../support/clock.ts'
import { guarantees } from './support/guarantees.ts'
import { compatSuite, wireUp } from './support/twice.ts'

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
    ['DELETE', (api) => api('api/items/7', { method: 'DELETE' })],
    ['a 404 surfaces as FetchError with the status', (api) => api('status/404')],
    [
      'a 503 surfaces as FetchError (no retry asked)',
      (api) => api('status/503', { method: 'POST', body: {} }),
    ],
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

describe('ofetch: its options reach ofetch, never the queue (queue.asFetch)', () => {
  it('`retry: false` is ofetch’s: same result and bytes as with fetch', async () => {
    const run = await suite.twice((fetch) =>
      client(fetch)('echo', { method: 'POST', body: { a: 1 }, retry: false }),
    )
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
  })

  it('`retry: 2` on a 503: ofetch retries, and its hook sees each 503, as with fetch', async () => {
    const hooks: number[] = []
    const run = await suite.twice((fetch) =>
      client(fetch)('status/503', {
        method: 'PUT',
        body: {},
        retry: 2,
        retryDelay: 0,
        retryStatusCodes: [503],
        onResponseError: ({ response }) => {
          hooks.push(response.status)
        },
      }),
    )
    expect(run.queued).toEqual(run.plain)
    expect(run.plainWire).toHaveLength(3)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(hooks).toEqual([503, 503, 503, 503, 503, 503])
  })

  it('`timeout` beside a `signal` is not the queue’s per-attempt timeout: the attempt is not cut', async () => {
    const clock = fakeClock()
    const queue = suite.queue({ clock })
    const call = client(wireUp(queue))('hold?key=long', {
      method: 'POST',
      body: {},
      timeout: 10,
      signal: new AbortController().signal,
    })
    await suite.server.whenHeld(1)
    // ofetch sets no timer when given a signal; a queue that read `timeout: 10` would cut here.
    await clock.advance(10_000)
    expect(suite.server.held).toHaveLength(1)
    suite.server.held[0]!.release()
    expect(await call).toEqual({ key: 'long' })
    expect(suite.server.take()).toHaveLength(1)
  })
})
