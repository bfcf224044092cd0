/**
 * Auth refresh on 401: `beforeSend` puts the current token on every attempt, `onFailure: 'pause'`
 * parks a write the server refused, the app refreshes the token once, and `retry(id)` sends the
 * same write again, with the same Idempotency-Key. Writes behind it wait, in order.
 * Run it with `npx tsx examples/auth-refresh.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue, isHttpError } from 'fetch-queue'

// ---- a toy API: tokens expire, writes are applied once per key --------------------------------

let issued = 0
const valid = new Set<string>()
const applied = new Map<string, string>()
const log: string[] = []
const notes: { body: string; key: string; status: number }[] = []
const server = createServer(async (req, res) => {
  let body = ''
  for await (const chunk of req) body += chunk
  if (req.url === '/token') {
    const token = `t${++issued}`
    valid.add(token)
    return res.end(JSON.stringify({ token }))
  }
  const token = req.headers.authorization?.replace('Bearer ', '') ?? ''
  const key = String(req.headers['idempotency-key'])
  const ok = valid.has(token)
  log.push(
    `${req.method} ${req.url} ${body} with ${token}, key …${key.slice(-4)} → ${ok ? 200 : 401}`,
  )
  notes.push({ body, key, status: ok ? 200 : 401 })
  if (!ok) {
    res.statusCode = 401
    return res.end()
  }
  if (!applied.has(key)) applied.set(key, body)
  // The first token lives for one request, so the second write meets an expired token.
  if (token === 't1') valid.delete(token)
  res.end(JSON.stringify({ ok: true }))
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

// ---- the app ----------------------------------------------------------------------------------

const getToken = () =>
  fetch(`${api}/token`, { method: 'POST' })
    .then((r) => r.json() as Promise<{ token: string }>)
    .then((r) => r.token)

let token = await getToken()
let refreshing: Promise<void> | undefined
let refreshes = 0
const retried = new Set<string>()

const queue = createQueue({
  onFailure: 'pause',
  // Before every attempt, restored writes included: the token is never stored with a write.
  beforeSend(request) {
    request.headers.set('authorization', `Bearer ${token}`)
  },
})

queue.on('failed', ({ item, error }) => {
  if (!isHttpError(error) || error.response.status !== 401) return // the UI offers Retry / Give up
  if (retried.has(item.id)) {
    // Refused again with a fresh token: this is no expiry. Stop here rather than loop.
    queue.discard(item.id)
    return
  }
  retried.add(item.id)
  // One refresh, however many requests met the expired token at the same time.
  refreshing ??= getToken()
    .then((fresh) => {
      token = fresh
      refreshes++
    })
    .finally(() => {
      refreshing = undefined
    })
  refreshing.then(
    () => queue.retry(item.id), // same item, same Idempotency-Key
    () => queue.discard(item.id),
  )
})

const saves = ['first', 'second', 'third'].map((text) =>
  queue.fetch(`${api}/notes`, { method: 'POST', body: text }),
)
const statuses = await Promise.all(saves.map((p) => p.then((r) => r.status)))
await queue.whenIdle()

for (const line of log) console.log(`server: ${line}`)
console.log(`refreshed the token ${refreshes} time(s); every note answered ${statuses.join(', ')}`)

assert.deepEqual(statuses, [200, 200, 200])
assert.equal(refreshes, 1)
assert.deepEqual([...applied.values()], ['first', 'second', 'third'])
// The refused write went again with its own key: the server could tell it was the same write.
const second = notes.filter((n) => n.body === 'second')
assert.deepEqual(
  second.map((n) => n.status),
  [401, 200],
)
assert.equal(second[0]!.key, second[1]!.key)

queue.dispose()
server.close()
