/**
 * HTTP clients over the queue: ky and openapi-fetch take a `fetch` option, and `queue.fetch` is
 * one. It is bound to its queue, so it can be passed as it is. Their requests keep their headers
 * and bodies, and writes gain an Idempotency-Key.
 * Run it with `npx tsx examples/http-clients.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue } from 'fetch-queue'
import ky from 'ky'
import createClient from 'openapi-fetch'

// ---- a toy API that records what arrives -------------------------------------------------------

interface Seen {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
}
const seen: Seen[] = []
let saved: string[] = []
const server = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  seen.push({ method: req.method!, path: req.url!, headers: req.headers, body })
  if (req.method === 'POST') saved = JSON.parse(body).stops
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ saved }))
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const queue = createQueue()

// ---- ky ------------------------------------------------------------------------------------------

const client = ky.create({
  prefixUrl: api,
  fetch: queue.fetch,
  headers: { 'x-client': 'ky' },
  // The queue retries, at the request's place in line; ky retrying too would send it twice.
  retry: 0,
  // ky's timer would run while the request waits in line. The queue times each attempt itself.
  timeout: false,
})

// ---- openapi-fetch -------------------------------------------------------------------------------

/** The API's paths, as `openapi-typescript` would generate them from its OpenAPI document. */
interface paths {
  '/stops': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never }
      requestBody: { content: { 'application/json': { stops: string[] } } }
      responses: {
        200: {
          headers: Record<string, unknown>
          content: { 'application/json': { saved: string[] } }
        }
      }
    }
  }
  '/stats': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    get: {
      parameters: { query?: { day?: number }; header?: never; path?: never; cookie?: never }
      requestBody?: never
      responses: {
        200: {
          headers: Record<string, unknown>
          content: { 'application/json': { saved: string[] } }
        }
      }
    }
  }
}

const openapi = createClient<paths>({
  baseUrl: api,
  fetch: queue.fetch,
  headers: { 'x-client': 'openapi-fetch' },
})

// ---- a save through ky, a read and a save through openapi-fetch ---------------------------------

const saveAnswer = await client.post('stops', { json: { stops: ['a', 'b'] } }).json()
const statsAnswer = await openapi.GET('/stats', { params: { query: { day: 1 } } })
const save2 = await openapi.POST('/stops', { body: { stops: ['c'] } })

console.log('ky save →', saveAnswer)
console.log('openapi-fetch read →', statsAnswer.data)
console.log('openapi-fetch save →', save2.data)
for (const s of seen)
  console.log(
    `server saw ${s.method} ${s.path} x-client=${s.headers['x-client']} ` +
      `content-type=${s.headers['content-type'] ?? '-'} key=…${String(s.headers['idempotency-key'] ?? '-').slice(-6)} ` +
      `body=${s.body || '-'}`,
  )

const [kyPost, openapiGet, openapiPost] = seen
assert.equal(kyPost!.headers['x-client'], 'ky')
assert.equal(kyPost!.headers['content-type'], 'application/json')
assert.equal(kyPost!.body, '{"stops":["a","b"]}')
assert.match(String(kyPost!.headers['idempotency-key']), /^[0-9a-f-]{36}$/)
assert.equal(openapiGet!.path, '/stats?day=1')
assert.equal(openapiGet!.headers['x-client'], 'openapi-fetch')
assert.equal(openapiGet!.headers['idempotency-key'], undefined) // reads carry no key
assert.deepEqual(statsAnswer.data, { saved: ['a', 'b'] })
assert.equal(openapiPost!.headers['content-type'], 'application/json')
assert.equal(openapiPost!.body, '{"stops":["c"]}')
assert.notEqual(openapiPost!.headers['idempotency-key'], kyPost!.headers['idempotency-key'])
console.log('headers and bodies arrived as the clients built them')

queue.dispose()
server.close()
