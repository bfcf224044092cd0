import { expect, test } from 'vitest'
import { createQueue, localStorageSpool } from '../../src/index.ts'
import { body, knobs, newProject, record } from './api.ts'

const FAST = { baseDelay: 20, maxDelay: 100 }

test('2.2 ordering: with the browser fetch, writes apply in order and no read overlaps a write', async () => {
  const project = newProject('order')
  await knobs({ project, latency: 15 })
  const queue = createQueue()
  const reads: Promise<Response>[] = []
  for (let rev = 1; rev <= 8; rev++) {
    void queue.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(rev) })
    reads.push(queue.fetch(`/projects/${project}/stats`), queue.fetch(`/projects/${project}/stops`))
  }
  const stats = await Promise.all(
    reads.filter((_, i) => i % 2 === 0).map(async (r) => (await r).json()),
  )
  await queue.whenIdle()
  const r = await record(project)
  expect(r.applied.map((a) => a.rev)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  // Each stats read saw exactly the state of the write before it.
  expect(stats.map((s) => s.rev)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  expect(r.overlaps).toBe(0)
  expect(r.requests).toBe(24)
  queue.dispose()
})

test('2.3 dedupe: pending saves are replaced, every caller gets the final answer', async () => {
  const project = newProject('dedupe')
  await knobs({ project, latency: 40 })
  const queue = createQueue()
  const calls = Array.from({ length: 30 }, (_, i) =>
    queue.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(i + 1), dedupe: true }),
  )
  const answers = await Promise.all(calls.map(async (c) => (await c).json()))
  const r = await record(project)
  // The first went out at once; the other 29 collapsed into the last one.
  expect(r.applied.map((a) => a.rev)).toEqual([1, 30])
  expect(answers.slice(1).every((a) => a.rev === 30)).toBe(true)
  queue.dispose()
})

test('2.5 idempotency: a response lost after the server applied the write is retried with the same key, applied once', async () => {
  const project = newProject('lost')
  await knobs({ project, fail: { mode: 'lose-response' } })
  const queue = createQueue({ retry: FAST })
  const response = await queue.fetch(`/projects/${project}/stops`, {
    method: 'POST',
    json: body(1),
  })
  expect(response.headers.get('idempotent-replayed')).toBe('true')
  const r = await record(project)
  expect(r.log.map((e) => e.outcome)).toEqual(['lost', 'replayed'])
  expect(r.log[0]!.key).toMatch(/^[\da-f-]{36}$/)
  expect(r.log[1]!.key).toBe(r.log[0]!.key)
  expect(r.applied).toHaveLength(1)
  queue.dispose()
})

test('2.6 abort: aborting an in-flight read rejects with the reason and the next write goes on', async () => {
  const project = newProject('abort')
  await knobs({ project, hang: true })
  const queue = createQueue()
  const controller = new AbortController()
  const read = queue.fetch(`/projects/${project}/stats`, { signal: controller.signal })
  await expect.poll(async () => (await record(project)).log.length).toBe(1)
  controller.abort(new DOMException('user left', 'AbortError'))
  await expect(read).rejects.toMatchObject({ name: 'AbortError', message: 'user left' })
  // The abort reaches the wire: the browser closes the connection and the server sees it.
  await expect.poll(async () => (await record(project)).log[0]!.outcome).toBe('abandoned')
  await knobs({ project, hang: false })
  await queue.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(1) })
  const r = await record(project)
  expect(r.log.map((e) => e.outcome)).toEqual(['abandoned', 'applied'])
  queue.dispose()
})

test('2.6 leaving the page: pagehide ends the attempt on the wire; the write is kept and applied once', async () => {
  const project = newProject('pagehide')
  await knobs({ project, hang: true })
  const queue = createQueue({ retry: FAST })
  const write = queue.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(1) })
  await expect
    .poll(async () => (await record(project)).log.map((e) => e.outcome))
    .toEqual(['pending'])
  // What the browser fires when the page is left (the back-forward cache may bring it back).
  dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
  // The browser closed the connection: the server saw the request go.
  await expect.poll(async () => (await record(project)).log[0]!.outcome).toBe('abandoned')
  await knobs({ project, hang: false })
  expect((await (await write).json()).rev).toBe(1)
  // The page stayed: the write went again (held, then dropped, while the server still hung), with
  // its own key, until it was applied, once.
  const r = await record(project)
  expect(r.log.map((e) => e.outcome).at(-1)).toBe('applied')
  expect(new Set(r.log.map((e) => e.key)).size).toBe(1)
  expect(r.applied.map((a) => a.rev)).toEqual([1])
  queue.dispose()
})

const stored = (key: string) => Object.keys(localStorage).filter((k) => k.startsWith(`${key}/`))

test('2.7 spool: writes stored in the real localStorage are restored by the next queue and applied once, in order', async () => {
  const project = newProject('spool')
  const key = `browser-test:${project}`
  await knobs({ project, down: true })
  const first = createQueue({ spool: localStorageSpool({ key }), retry: FAST })
  for (let rev = 1; rev <= 3; rev++)
    void first.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(rev) })
  await expect.poll(() => stored(key)).toHaveLength(3)
  first.dispose() // the page goes away: its lock is released, the records stay

  const second = createQueue({ spool: localStorageSpool({ key }), retry: FAST })
  const restored: number[] = []
  second.on('restored', ({ items }) => restored.push(items.length))
  await second.ready
  expect(restored).toEqual([3])
  await knobs({ project, down: false })
  await second.whenIdle()
  const r = await record(project)
  expect(r.applied.map((a) => a.rev)).toEqual([1, 2, 3])
  expect(new Set(r.applied.map((a) => a.key)).size).toBe(3)
  expect(stored(key)).toEqual([])
  second.dispose()
})

test('2.7 several tabs: with the real navigator.locks, a live queue keeps its writes; another takes them only once it is gone', async () => {
  const project = newProject('locks')
  const key = `browser-test:${project}`
  await knobs({ project, hang: true })
  const owner = createQueue({ spool: localStorageSpool({ key }), retry: FAST })
  void owner.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(1) })
  void owner.fetch(`/projects/${project}/stops`, { method: 'POST', json: body(2) })
  await expect.poll(() => stored(key)).toHaveLength(2)

  const other = createQueue({ spool: localStorageSpool({ key }), retry: FAST })
  const otherRestored: number[] = []
  other.on('restored', ({ items }) => otherRestored.push(items.length))
  await other.ready
  expect(otherRestored).toEqual([]) // the owner holds its lock, so nothing is taken from it
  expect(other.getSnapshot().pending).toBe(0)

  owner.dispose()
  const heir = createQueue({ spool: localStorageSpool({ key }), retry: FAST })
  const heirRestored: number[] = []
  heir.on('restored', ({ items }) => heirRestored.push(items.length))
  await heir.ready
  // Exactly one of the two takes them: the new one at its start, or the other one, which was
  // itself starting and waiting for that lock (a running tab adopts a closed tab's writes).
  await expect.poll(() => [...otherRestored, ...heirRestored]).toEqual([2])
  await knobs({ project, hang: false })
  await Promise.all([heir.whenIdle(), other.whenIdle()])
  const r = await record(project)
  expect(r.applied.map((a) => a.rev)).toEqual([1, 2])
  expect(stored(key)).toEqual([])
  other.dispose()
  heir.dispose()
})
