/**
 * Your server: what it must do with `Idempotency-Key` for the queue to apply each write once, as
 * the IETF draft (draft-ietf-httpapi-idempotency-key-header) asks, with plain `node:http`. Then a
 * queue whose first attempt times out while the server is still working on it.
 * Run it with `npx tsx examples/idempotent-server.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue, isHttpError } from 'fetch-queue'

// #region server
type Answer = { status: number; body: string }
type Entry = { fingerprint: string; answer?: Answer; at: number }

/** Keys live longer than the queue's spool keeps writes (`maxAge`, 24 h by default). */
const KEEP_KEYS_MS = 48 * 60 * 60 * 1000
const keys = new Map<string, Entry>() // in production: a table with the key as primary key

/** The key, bare (`8e03…`) or quoted as the draft's sf-string (`"8e03…"`). */
function keyOf(req: IncomingMessage): string | undefined {
  const v = req.headers['idempotency-key']
  if (typeof v !== 'string') return undefined
  return /^"(?:[^"\\]|\\.)*"$/.test(v) ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v
}

/** Runs `work` once per key; repeats get the stored answer, a 409 or a 422. */
async function idempotent(
  req: IncomingMessage,
  res: ServerResponse,
  work: (body: string) => Promise<Answer>,
) {
  let body = ''
  for await (const chunk of req) body += chunk
  const send = ({ status, body }: Answer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(body)
  }
  const key = keyOf(req)
  if (key === undefined) return send(await work(body))
  const fingerprint = createHash('sha256').update(body).digest('hex')
  const seen = keys.get(key)
  if (seen && Date.now() - seen.at < KEEP_KEYS_MS) {
    if (seen.fingerprint !== fingerprint)
      return send({ status: 422, body: '{"error":"Idempotency-Key reused for another request"}' })
    if (!seen.answer)
      return send({ status: 409, body: '{"error":"still processing"}' }, { 'retry-after': '1' })
    return send(seen.answer) // the stored answer, not a second copy of the write
  }
  // Claimed before the work starts (in a database: insert the row, unique on the key), so two
  // copies arriving at once cannot both run.
  const entry: Entry = { fingerprint, at: Date.now() }
  keys.set(key, entry)
  let answer: Answer
  try {
    answer = await work(body)
  } catch (error) {
    keys.delete(key) // nothing was done: the client may try again
    throw error
  }
  if (answer.status >= 500) keys.delete(key)
  else entry.answer = answer
  send(answer)
}
// #endregion

// An endpoint that takes 600 ms per order: longer than the client below waits for an answer.
const orders: unknown[] = []
const seen: number[] = []
const server = createServer((req, res) => {
  // Answers that reached the client (not the one to the attempt it gave up on).
  res.on('finish', () => seen.push(res.statusCode))
  idempotent(req, res, async (body) => {
    await new Promise((r) => setTimeout(r, 600))
    orders.push(JSON.parse(body))
    return { status: 201, body: JSON.stringify({ id: orders.length }) }
  }).catch(() => res.destroy())
})
server.listen(0)
await once(server, 'listening')
const api = `http://localhost:${(server.address() as AddressInfo).port}`

// Attempts time out after 250 ms; keys go out quoted, as the draft writes them.
const queue = createQueue({
  timeout: 250,
  retry: { baseDelay: 50, maxDelay: 100 },
  idempotencyFormat: 'sf-string',
})
const response = await queue.fetch(`${api}/orders`, { method: 'POST', json: { pizza: 'fungi' } })
assert.equal(response.status, 201)
assert.deepEqual(await response.json(), { id: 1 })
// The first attempt timed out while the server worked on it; a retry got 409 (still processing)
// and waited the second the server asked for; the next got the stored answer. One order.
assert.deepEqual(orders, [{ pizza: 'fungi' }])
assert.ok(seen.includes(409))
console.log('answers the server sent:', seen.join(', '), '— orders applied:', orders.length)

// The same key with another body is refused: the app reused a key it should not have.
await queue.fetch(`${api}/orders`, { method: 'POST', json: { a: 1 }, idempotencyKey: 'order-7' })
const reused = await queue
  .fetch(`${api}/orders`, { method: 'POST', json: { a: 2 }, idempotencyKey: 'order-7' })
  .catch((error: unknown) => error)
assert.ok(isHttpError(reused) && reused.response.status === 422)
assert.equal(orders.length, 2)

queue.dispose()
server.close()
