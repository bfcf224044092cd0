/**
 * The quick start, end to end: a tiny local API server, and an editor that saves on every change.
 * Run it with `npx tsx examples/basic.ts`.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue } from 'fetch-queue'

// A toy API: POST /projects/1/stops replaces the stops, GET /projects/1/stats reads them.
let stops: number[] = []
const seen: string[] = []
const server = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  seen.push(`${req.method} ${req.url}`)
  await new Promise((r) => setTimeout(r, 20)) // a little latency
  if (req.method === 'POST') stops = JSON.parse(body).stops
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ count: stops.length, last: stops.at(-1) ?? null }))
})
server.listen(0)
await once(server, 'listening')
const api = `http://localhost:${(server.address() as AddressInfo).port}`

const queue = createQueue()

// The user drags a stop five times in quick succession. Each change saves, then refreshes the stats.
const route: number[] = []
let stats: Promise<unknown> = Promise.resolve()
for (let i = 1; i <= 5; i++) {
  route.push(i)
  queue.fetch(`${api}/projects/1/stops`, { method: 'POST', json: { stops: route }, dedupe: true })
  stats = queue
    .fetch(`${api}/projects/1/stats`, { dedupe: true })
    .then((response) => response.json())
}

console.log('stats shown:', await stats)
console.log('server saw:', seen)
// The first save went out at once; the later ones replaced each other while it was on the wire,
// so the server saw 2 saves and 1 stats read instead of 10 requests, and the stats match the last edit.
queue.dispose()
server.close()
