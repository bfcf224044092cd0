// openapi-fetch builds a `Request` (with the caller's signal) and calls `fetch(request, init)`,
// where `init` is the client's `requestInitExt` (Node-only fields such as `dispatcher`).
import createClient from 'openapi-fetch'
import { describe, expect, it } from 'vitest'
import { guarantees } from './support/guarantees.ts'
import { compatSuite } from './support/twice.ts'

/** Just enough of an OpenAPI schema for the calls below. */
interface paths {
  '/api/items': {
    get: {
      parameters: { query?: { page?: number }; header?: { 'x-trace'?: string } }
      responses: { 200: { content: { 'application/json': { ok: boolean; url: string } } } }
    }
  }
  '/api/items/{id}': {
    delete: {
      parameters: { path: { id: number } }
      responses: { 200: { content: { 'application/json': { ok: boolean } } } }
    }
  }
  '/echo': {
    post: {
      requestBody: { content: { 'application/json': { name: string } } }
      responses: { 200: { content: { 'application/json': { body: string } } } }
    }
  }
  '/status/{code}': {
    get: {
      parameters: { path: { code: number } }
      responses: { default: { content: { 'text/plain': string } } }
    }
  }
  '/hold': {
    get: {
      parameters: { query: { key: string } }
      responses: { 200: { content: { 'application/json': { key: string } } } }
    }
    post: {
      parameters: { query: { key: string } }
      requestBody: { content: { 'application/json': unknown } }
      responses: { 200: { content: { 'application/json': { key: string } } } }
    }
    put: {
      parameters: { query: { key: string } }
      requestBody: { content: { 'application/json': unknown } }
      responses: { 200: { content: { 'application/json': { key: string } } } }
    }
    patch: {
      parameters: { query: { key: string } }
      requestBody: { content: { 'application/json': unknown } }
      responses: { 200: { content: { 'application/json': { key: string } } } }
    }
    delete: {
      parameters: { query: { key: string } }
      responses: { 200: { content: { 'application/json': { key: string } } } }
    }
  }
}

const suite = compatSuite()
const client = (fetch: typeof globalThis.fetch) =>
  createClient<paths>({ baseUrl: suite.server.base, fetch })

/** What a caller sees: openapi-fetch resolves `{ data, error, response }`, never throws on a status. */
const seen = async (p: Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
  const { data, error, response } = await p
  return { data, error, status: response.status }
}

describe('openapi-fetch: the same call through fetch and through the queue', () => {
  const calls: [string, (api: ReturnType<typeof client>) => Promise<unknown>][] = [
    [
      'GET with a query and a header parameter',
      (api) =>
        seen(api.GET('/api/items', { params: { query: { page: 2 }, header: { 'x-trace': 'a' } } })),
    ],
    ['POST with a JSON body', (api) => seen(api.POST('/echo', { body: { name: 'stop' } }))],
    [
      'DELETE with a path parameter',
      (api) => seen(api.DELETE('/api/items/{id}', { params: { path: { id: 7 } } })),
    ],
    [
      'a 404 comes back as `error`, with the response',
      (api) =>
        seen(api.GET('/status/{code}', { params: { path: { code: 404 } }, parseAs: 'text' })),
    ],
  ]
  it.each(calls)('%s: same result, same bytes on the wire', async (_, call) => {
    const run = await suite.twice((fetch) => call(client(fetch)))
    expect(run.queued).toEqual(run.plain)
    expect(run.queuedWire).toEqual(run.plainWire)
    expect(run.plainWire).toHaveLength(1)
  })
})

const key = (path: string) => new URL(path, 'http://x').searchParams.get('key')!
const unwrap = async (p: Promise<{ data?: unknown; error?: unknown }>) => {
  const { data, error } = await p
  if (error !== undefined) throw error
  return data
}

guarantees('openapi-fetch', suite, (fetch) => {
  const api = client(fetch)
  const query = (path: string) => ({ query: { key: key(path) } })
  return {
    read: (path, signal) =>
      unwrap(api.GET('/hold', { params: { query: { key: key(path) } }, signal })),
    write: (method, path, json, signal) =>
      method === 'DELETE'
        ? unwrap(api.DELETE('/hold', { params: { query: { key: key(path) } }, signal }))
        : method === 'PUT'
          ? unwrap(api.PUT('/hold', { params: query(path), body: json, signal }))
          : method === 'PATCH'
            ? unwrap(api.PATCH('/hold', { params: query(path), body: json, signal }))
            : unwrap(api.POST('/hold', { params: query(path), body: json, signal })),
    // openapi-fetch has no timeout of its own: the documented way is a timeout signal.
    timed: (path, ms) =>
      unwrap(
        api.POST('/hold', {
          params: { query: { key: key(path) } },
          body: 1,
          signal: AbortSignal.timeout(ms),
        }),
      ),
  }
})
