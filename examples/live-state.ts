/**
 * Live state with `fetch-queue/watch`, end to end: a tiny local API server, a watch that polls
 * the state (with ETags, so an unchanged state costs a 304), a save the next poll is guaranteed to
 * see, and a watch on a server-sent event stream that survives a dropped connection.
 * Run it with `npx tsx examples/live-state.ts`.
 */
import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue } from 'fetch-queue'
import { watch } from 'fetch-queue/watch'

// A toy API: GET /state answers { count } with an ETag; POST /state adds one; GET /events streams
// every change as a server-sent event, resuming after Last-Event-ID.
let count = 0
const seen: string[] = []
const streams = new Set<ServerResponse>()
const server = createServer(async (req, res) => {
  for await (const _ of req);
  const tag = `"${count}"`
  if (req.url === '/events') {
    seen.push(`GET /events (Last-Event-ID: ${req.headers['last-event-id'] ?? 'none'})`)
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('retry: 50\n\n')
    const from = Number(req.headers['last-event-id'] ?? 0)
    for (let id = from + 1; id <= count; id++) res.write(`id: ${id}\ndata: ${id}\n\n`)
    streams.add(res)
    res.on('close', () => streams.delete(res))
    return
  }
  if (req.method === 'POST') {
    count++
    for (const s of streams) s.write(`id: ${count}\ndata: ${count}\n\n`)
  }
  const unchanged = req.method === 'GET' && req.headers['if-none-match'] === tag
  seen.push(`${req.method} ${req.url}${unchanged ? ' → 304' : ''}`)
  if (unchanged) return res.writeHead(304).end()
  res.writeHead(200, { 'content-type': 'application/json', etag: `"${count}"` })
  res.end(JSON.stringify({ count }))
})
server.listen(0)
await once(server, 'listening')
const api = `http://localhost:${(server.address() as AddressInfo).port}`
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((r) => setTimeout(r, 5))
}

const queue = createQueue()

// Polling: the next poll starts 20 ms after the previous one settled.
const state = watch<{ count: number }>(queue, `${api}/state`, { interval: 20 })
let renders = 0
state.subscribe(() => renders++)
await until(() => state.getSnapshot().data?.count === 0)
await new Promise((r) => setTimeout(r, 100)) // a few polls, all answered 304: nothing re-renders
console.log('renders after a run of polls:', renders) // the first answer; the 304s changed nothing

// A save, then refresh(): the poll goes behind the save in the queue, so it sees the new count.
queue.fetch(`${api}/state`, { method: 'POST' })
state.refresh()
await until(() => state.getSnapshot().data?.count === 1)
console.log('after the save:', state.getSnapshot().data)
state.close()

// Server-sent events: each event's data, parsed as JSON, folded into a list by `reduce`.
const events = watch<number[]>(queue, `${api}/events`, {
  reduce: (all = [], e) => [...all, JSON.parse(e.data)],
})
await until(() => events.getSnapshot().status === 'live')
queue.fetch(`${api}/state`, { method: 'POST' })
await until(() => events.getSnapshot().data?.length === 2)
for (const s of streams) s.destroy() // the connection drops…
queue.fetch(`${api}/state`, { method: 'POST' })
await until(() => events.getSnapshot().data?.length === 3) // …and resumes after event 2
console.log('events:', events.getSnapshot().data)
events.close()

// Consecutive 304s are shown once.
console.log(
  'server saw:',
  seen.filter((line, i) => !line.endsWith('304') || line !== seen[i - 1]),
)
queue.dispose()
server.close()
// renders after a run of polls: 1
// after the save: { count: 1 }
// events: [ 1, 2, 3 ]
// server saw: GET /state, GET /state → 304, POST /state, GET /state,
//   GET /events (Last-Event-ID: none), POST /state, POST /state, GET /events (Last-Event-ID: 2)
