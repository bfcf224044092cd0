/**
 * Logout: `clear()` drops every pending write and wipes the stored ones, so nothing a user
 * queued is ever sent under the next user's login, not even after a reload.
 * Run it with `npx tsx examples/logout.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { createQueue, localStorageSpool, type StorageLike } from 'fetch-queue'

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
const sent: string[] = []
// The network is down while Ada edits: her writes fail to connect, and wait in the queue (retried
// at the backoff pace) and in storage.
const down = true
const transport = async (request: { url: string }) => {
  if (down) throw new TypeError('Failed to fetch')
  sent.push(request.url)
  return new Response('ok')
}

const ada = createQueue({
  spool: localStorageSpool({ key: 'editor:ada:doc1', storage, locks: null }),
  transport,
})
const pending = ada.fetch('https://api.example/doc1/title', { method: 'PUT', body: 'Ada’s draft' })
await ada.ready
console.log(
  `Ada has ${ada.getSnapshot().pending} pending write; storage holds ${data.size} record(s)`,
)

// ---- logout ----------------------------------------------------------------------------------

async function logout() {
  await ada.clear() // rejects what is pending and wipes the stored writes under this key
  ada.dispose()
  // ...then the app's own logout call, which the queue must not hold up.
}
await logout()
const outcome = await pending.then(
  () => 'sent',
  (e: Error) => e.name,
)
console.log(`after logout: her write ended with ${outcome}; storage holds ${data.size} record(s)`)

// ---- the next user, on the same device, and the same document --------------------------------

const bob = createQueue({
  spool: localStorageSpool({ key: 'editor:bob:doc1', storage, locks: null }),
  transport,
})
const restored: number[] = []
bob.on('restored', ({ items }) => restored.push(items.length))
await bob.ready
// Even a queue under Ada's key, after a reload, finds nothing: clear() wiped it.
const adaAgain = createQueue({
  spool: localStorageSpool({ key: 'editor:ada:doc1', storage, locks: null }),
  transport,
})
await adaAgain.ready
console.log(`Bob restored ${restored.length} writes; the server received ${sent.length} requests`)

assert.equal(outcome, 'AbortError')
assert.equal(data.size, 0)
assert.deepEqual(restored, [])
assert.equal(adaAgain.getSnapshot().pending, 0)
assert.deepEqual(sent, [])

bob.dispose()
adaAgain.dispose()
