import { localStorageSpool } from 'fetch-queue'
import {
  fakeTimersClock,
  manualOnline,
  memoryLocks,
  memoryStorage,
  testTransport,
} from 'fetch-queue/testing'
import { afterEach, expect, test, vi } from 'vitest'
import { createEditor } from './status.ts'

afterEach(() => {
  vi.useRealTimers()
})

test('saves go out one at a time, and a newer save replaces one not yet sent', async () => {
  const server = testTransport()
  const editor = createEditor({ transport: server.transport, online: manualOnline() })
  editor.save(['a'])
  editor.save(['a', 'b'])
  editor.save(['a', 'b', 'c'])
  const first = await server.next('PUT /route/stops')
  expect(first.json()).toEqual({ stops: ['a'] })
  expect(editor.status()).toBe('Saving…')
  first.answer(204)
  const last = await server.next('PUT /route/stops')
  expect(last.json()).toEqual({ stops: ['a', 'b', 'c'] })
  last.answer(204)
  await editor.queue.whenIdle()
  expect(server.calls).toHaveLength(2)
  expect(server.writeOverlaps).toEqual([])
  expect(editor.status()).toBe('All changes saved')
})

test('offline, the status counts what is pending; back online, it is sent', async () => {
  const network = manualOnline(false)
  const server = testTransport()
  server.on('PUT /route/stops', (call) => call.answer(204))
  const editor = createEditor({ transport: server.transport, online: network })
  editor.save(['a'])
  expect(editor.status()).toBe('Offline — 1 change pending')
  network.setOnline(true)
  await editor.queue.whenIdle()
  expect(editor.status()).toBe('All changes saved')
})

test('a 503 is retried after its Retry-After, with the same idempotency key', async () => {
  vi.useFakeTimers()
  const server = testTransport()
  const editor = createEditor({
    transport: server.transport,
    online: manualOnline(),
    clock: fakeTimersClock(),
  })
  const saved = editor.save(['a'])
  ;(await server.next()).fail(503, { headers: { 'retry-after': '5' } })
  await vi.advanceTimersByTimeAsync(0)
  expect(editor.status()).toBe('Retrying in 5s')
  await vi.advanceTimersByTimeAsync(5_000)
  const retry = await server.next()
  retry.answer(204)
  expect((await saved).status).toBe(204)
  expect(retry.key).toBe(server.calls[0]!.key)
})

test('a write on the wire when its tab crashed is sent again by the next page, with its key', async () => {
  const storage = memoryStorage()
  const locks = memoryLocks() // one origin's Web Locks; each page takes a tab of it
  const crashed = locks.tab()
  const spool = (tab = locks.tab()) =>
    localStorageSpool({ key: 'editor:u1:route', storage, locks: tab })
  const slow = testTransport()
  const before = createEditor({
    transport: slow.transport,
    online: manualOnline(),
    spool: spool(crashed),
  })
  before.save(['a', 'b'])
  const lost = await slow.next() // stored, and on the wire...
  crashed.close() // ...when the tab crashes: the browser releases its locks

  const server = testTransport()
  server.on('*', (call) => call.answer(204))
  const after = createEditor({
    transport: server.transport,
    online: manualOnline(),
    spool: spool(),
  })
  await after.queue.ready
  await after.queue.whenIdle()
  expect(server.calls.map((c) => c.json())).toEqual([{ stops: ['a', 'b'] }])
  expect(server.calls[0]!.key).toBe(lost.key)
  expect(storage.length).toBe(0)
  before.queue.dispose()
  after.queue.dispose()
})
