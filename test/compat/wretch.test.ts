// wretch calls `fetch(url, options)` with a plain options object (method, headers, body, signal).

import { describe, expect, it } from 'vitest'
import wretch from 'wretch'
import AbortAddon from 'wretch/addons/abort'
import { guarantees } from './support/guarantees.ts'
import { compatSuite } from './support/twice.ts'

const suite = compatSuite()
const client = (fetch: typeof globalThis.fetch) =>
  wretch(suite.server.base).polyfills({ fetch }).addon(AbortAddon())

describe('wretch: the same call through fetch and through the queue', () => {
  const calls: [string, (api: ReturnType<typeof client>) => Promise<unknown>][] = [
    [
      'GET with a header',
      (api) => api.url('/api/items?page=2').headers({ 'x-trace': 'a' }).get().json(),
    ],
    ['POST with json', (api) => api.url('/echo').post({ name: 'stop' }).json()],
    ['PATCH with a text body', (api) => api.url('/echo').body('plain text').patch().json()],
    ['DELETE', (api) => api.url('/api/items/7').delete().json()],
    ['a 404 surfaces as WretchError with the status', (api) => api.url('/status/404').get().text()],
  ]
  it.each(calls)('%s: same result, same bytes on the wire', async (_, call) => {
    const run = await suite.twice((fetch) => call(client(fetch)))
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(run.plainWire).toHaveLength(1)
  })
})

guarantees('wretch', suite, (fetch) => {
  const api = client(fetch)
  const at = (path: string, signal?: AbortSignal) =>
    api.url(`/${path}`).options(signal ? { signal } : {})
  return {
    read: (path, signal) => at(path, signal).get().json(),
    write: (method, path, json, signal) => at(path, signal).json({ json }).fetch(method).json(),
    timed: (path, ms) => at(path).post({}).setTimeout(ms).json(),
  }
})
