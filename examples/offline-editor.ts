/**
 * Offline editing that survives a reload: an editor saves while the network is down, the page
 * is reloaded, and the new page sends what the old one stored, once each, in order.
 * Run it with `npx tsx examples/offline-editor.ts` (after `npm run build`).
 *
 * No browser needed: a Map-backed Storage stands in for `localStorage`, and a small local server
 * applies each write once per Idempotency-Key, as a real API should.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue, localStorageSpool, type OnlineSource, type StorageLike } from 'fetch-queue'

// ---- a toy API -----------------------------------------------------------------------------

const applied = new Map<string, string>()
const received: string[] = []
const server = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  const key = String(req.headers['idempotency-key'])
  const auth = req.headers.authorization ?? 'no credentials'
  const replay = applied.has(key)
  if (!replay) applied.set(key, `${req.method} ${req.url} ${body}`)
  received.push(
    `${req.method} ${req.url} ${body}  (${auth}, key ${key.slice(0, 8)}…${replay ? ', replay' : ''})`,
  )
  res.statusCode = req.headers.authorization ? 200 : 401
  res.end()
})
server.listen(0)
await once(server, 'listening')
const api = `http://localhost:${(server.address() as AddressInfo).port}`

// ---- what survives a reload: storage -------------------------------------------------------

/** `localStorage` for this demo. In a browser, leave `storage` out. */
const data = new Map<string, string>()
const storage: StorageLike = {
  get length() {
    return data.size
  },
  key: (i) => [...data.keys()][i] ?? null,
  getItem: (k) => data.get(k) ?? null,
  setItem: (k, v) => void data.set(k, String(v)),
  removeItem: (k) => void data.delete(k),
}

/** A switchable network, instead of the browser's `online`/`offline` events. */
function network(initial: boolean): OnlineSource & { set(online: boolean): void } {
  let online = initial
  const listeners = new Set<(online: boolean) => void>()
  return {
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set(value) {
      online = value
      for (const l of listeners) l(value)
    },
  }
}

const userId = 'u42'
const projectId = 'p7'
// The key names the user and the document: one user's writes are never replayed under another's login.
const spool = () =>
  localStorageSpool({ key: `editor:${userId}:${projectId}`, storage, locks: null })
let token = 'token-from-page-1'
const beforeSend = (request: { headers: Headers }) => {
  // Credentials are added at send time and never stored.
  request.headers.set('authorization', `Bearer ${token}`)
}

// ---- page 1: edit while offline ------------------------------------------------------------

console.log('Page 1: the network is down; the user keeps editing.')
const page1 = createQueue({ spool: spool(), online: network(false), beforeSend })
const what = (item: { meta?: unknown; url: string }) =>
  (item.meta as { what?: string } | undefined)?.what ?? item.url
page1.on('superseded', ({ item, by }) => console.log(`  ${what(item)} replaced by ${what(by)}`))
const save = (q: typeof page1, stops: number[]) =>
  q.fetch(`${api}/projects/${projectId}/stops`, {
    method: 'PUT',
    json: { stops },
    dedupe: true, // a newer save of the stops replaces an older one not yet sent
    meta: { what: `stops ${stops.join(',')}` },
  })
page1.fetch(`${api}/projects/${projectId}/comments`, {
  method: 'POST',
  json: { text: 'moved stop 3' },
  meta: { what: 'comment' },
})
save(page1, [1, 2, 3])
save(page1, [1, 3, 2])
page1.fetch(`${api}/projects/${projectId}/title`, {
  method: 'PATCH',
  body: 'Morning route',
  meta: { what: 'title' },
})
await page1.ready
const { pending, status } = page1.getSnapshot()
console.log(`  status: ${status}, ${pending} changes pending`)
console.log(
  `  stored: ${data.size} records, ${[...data.values()].join('').includes('Bearer') ? 'WITH' : 'no'} credentials`,
)

// ---- reload ----------------------------------------------------------------------------------

console.log('\nThe page reloads (or the tab crashes). Nothing reached the server yet.')
page1.dispose()
token = 'token-from-page-2'

// ---- page 2: back online, the stored writes go out first ------------------------------------

const online = network(true)
const page2 = createQueue({ spool: spool(), online, beforeSend })
page2.on('restored', ({ items }) => {
  console.log(`\nPage 2 restored ${items.length} writes: ${items.map(what).join(' | ')}`)
})
page2.on('superseded', ({ item, by }) =>
  console.log(`  stored ${what(item)} replaced by ${what(by)}`),
)
page2.on('sent', ({ item, response }) => console.log(`  sent ${what(item)} → ${response.status}`))
page2.on('failed', ({ item, error }) => console.log(`  failed ${item.url}: ${error.message}`))
page2.on('spoolerror', ({ error }) => console.log(`  spool: ${error.message}`))
// An edit made right after the reload goes after the restored writes, and replaces the stored
// save of the stops, which has not gone out yet.
save(page2, [3, 2, 1])
await page2.ready
await page2.whenIdle()

console.log('\nThe server received, in order:')
for (const line of received) console.log(`  ${line}`)
console.log(`\nApplied ${applied.size} writes; ${data.size} records left in storage.`)

page2.dispose()
server.close()
