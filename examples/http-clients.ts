/**
 * The queue under the HTTP clients people already use: ky, ofetch, openapi-fetch, wretch and
 * up-fetch, each given `queue.asFetch()`. Writes still go one at a time, in the order each client
 * made them.
 * Run it with `npx tsx examples/http-clients.ts`.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue } from 'fetch-queue'
import ky from 'ky'
import { createFetch } from 'ofetch'
import createClient from 'openapi-fetch'
import { up } from 'up-fetch'
import wretch from 'wretch'

// A toy API that records the order in which writes arrive and answers each with its body.
const writes: string[] = []
let open = 0
let maxOpen = 0
const server = createServer(async (req, res) => {
  maxOpen = Math.max(maxOpen, ++open)
  let body = ''
  for await (const chunk of req) body += chunk
  if (req.method !== 'GET') writes.push(`${req.method} ${req.url} ${body}`)
  await new Promise((r) => setTimeout(r, 10)) // a little latency, so calls would overlap
  open--
  res.setHeader('content-type', 'application/json')
  res.end(
    JSON.stringify({ method: req.method, url: req.url, body: body ? JSON.parse(body) : null }),
  )
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const queue = createQueue()
// Every client retries (or reports) HTTP statuses itself: the queue keeps its connection-failure
// retries, idempotency keys and ordering, and leaves statuses to the client.
const fetch = queue.asFetch({ retry: 0 })

// ky
const kyApi = ky.create({ prefixUrl: base, fetch, retry: 0 })

// ofetch
const ofetchApi = createFetch({ fetch, defaults: { baseURL: base, retry: 0 } })

// openapi-fetch (normally `paths` comes from openapi-typescript)
interface paths {
  '/stops': {
    post: {
      requestBody: { content: { 'application/json': { name: string; rev: number } } }
      responses: {
        200: { content: { 'application/json': { body: { name: string; rev: number } } } }
      }
    }
  }
}
const openapi = createClient<paths>({ baseUrl: base, fetch })

// wretch
const wretchApi = wretch(base).polyfills({ fetch })

// up-fetch
const upfetch = up(fetch, () => ({ baseUrl: base }))

// Each client fires three saves at once: the server sees them one at a time, in call order.
const save = {
  ky: (rev: number) => kyApi.post('stops', { json: { name: 'ky', rev } }).json(),
  ofetch: (rev: number) => ofetchApi('/stops', { method: 'POST', body: { name: 'ofetch', rev } }),
  'openapi-fetch': (rev: number) =>
    openapi.POST('/stops', { body: { name: 'openapi-fetch', rev } }).then((r) => r.data),
  wretch: (rev: number) => wretchApi.url('/stops').post({ name: 'wretch', rev }).json(),
  'up-fetch': (rev: number) =>
    upfetch('/stops', { method: 'POST', body: { name: 'up-fetch', rev } }),
}
for (const [name, call] of Object.entries(save)) {
  writes.length = 0
  await Promise.all([call(1), call(2), call(3)])
  const revs = writes.map((w) => JSON.parse(w.slice(w.indexOf('{'))).rev)
  console.log(`${name}: writes arrived as ${revs.join(', ')}, at most ${maxOpen} at once`)
  if (revs.join() !== '1,2,3' || maxOpen !== 1)
    throw new Error(`${name}: writes overlapped or reordered`)
}

queue.dispose()
server.close()
