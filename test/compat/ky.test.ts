// ky builds a `Request` (its signal, headers and body inside) and calls `fetch(request, init)`,
// where `init` holds only the options a `Request` cannot carry (such as `dispatcher`).
import ky, { type KyInstance } from 'ky'
import { describe, expect, it } from 'vitest'
import { guarantees } from './support/guarantees.ts'
import { compatSuite } from './support/twice.ts'

const suite = compatSuite()
const client = (fetch: typeof globalThis.fetch, options: Parameters<typeof ky.create>[0] = {}) =>
  ky.create({ prefixUrl: suite.server.base, fetch, retry: 0, ...options })

describe('ky: the same call through fetch and through the queue', () => {
  const calls: [string, (api: KyInstance) => Promise<unknown>][] = [
    [
      'GET with search params and a header, parsed as JSON',
      (api) =>
        api.get('api/items', { searchParams: { page: 2 }, headers: { 'x-trace': 'a' } }).json(),
    ],
    ['POST with json', (api) => api.post('echo', { json: { name: 'stop', n: [1, 2] } }).json()],
    ['PUT with a text body', (api) => api.put('echo', { body: 'plain text' }).json()],
    [
      'PATCH with URLSearchParams',
      (api) => api.patch('echo', { body: new URLSearchParams('a=1&b=2') }).json(),
    ],
    ['DELETE', (api) => api.delete('api/items/7').json()],
    ['HEAD', (api) => api.head('api/items').then((r) => r.status)],
    ['a 404 surfaces as ky’s HTTPError', (api) => api.get('status/404').text()],
    [
      'a 422 on a write surfaces as ky’s HTTPError',
      (api) => api.post('status/422', { json: {} }).text(),
    ],
  ]
  it.each(calls)('%s: same result, same bytes on the wire', async (_, call) => {
    const run = await suite.twice((fetch) => call(client(fetch)))
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(run.plainWire).toHaveLength(1)
  })

  it('writes carry an idempotency key; reads do not', async () => {
    const run = await suite.twice(async (fetch) => {
      const api = client(fetch)
      await api.post('echo', { json: 1 })
      await api.get('data.json')
    })
    expect(run.keys[0]).toMatch(/^[\da-f-]{36}$/)
    expect(run.keys[1]).toBeNull()
  })
})

guarantees('ky', suite, (fetch) => ({
  read: (path, signal) => client(fetch, { timeout: false }).get(path, { signal }).json(),
  write: (method, path, json, signal) =>
    client(fetch, { timeout: false })(path, { method, json, signal }).json(),
  timed: (path, ms) => client(fetch, { timeout: ms }).post(path, { json: 1 }).json(),
}))
