import { expect, test } from 'vitest'
import {
  addStop,
  expectAppliedOnceInOrder,
  lastApplied,
  localState,
  newProject,
  openEditor,
  summary,
  useHarness,
  waitAllSaved,
  waitStatus,
} from './harness.ts'

const h = useHarness()

test('2.5 idempotency: a write applied by the server whose response is lost is retried with the same key and not applied twice', async () => {
  const project = newProject('lost')
  h.server.control.set({ project, latency: 30 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)

  h.server.control.set({ project, fail: { mode: 'lose-response' } })
  await addStop(page)
  await waitAllSaved(page)

  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('lost response', record)
  const attempts = record.log.filter((e) => e.write)
  // Same key on both attempts: the first was applied and its answer lost, the retry got the stored answer.
  expect(attempts.map((e) => e.outcome)).toEqual(['lost', 'replayed'])
  expect(attempts[1]!.key).toBe(attempts[0]!.key)
  // The retry is the queue's own (its `retrying` event fired), not a silent resend by the browser.
  expect(await page.getByTestId('app').getAttribute('data-retries')).toBe('1')
  expect(record.applied).toHaveLength(1)
  expect(record.replays).toBe(1)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })
  expect(final.stops).toHaveLength(6)
})

test('2.4 Retry-After: a 503 is retried after the delay the server asked for, and the status bar counts it down', async () => {
  const project = newProject('503')
  h.server.control.set({ project, latency: 30 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)

  h.server.control.set({ project, fail: { mode: '503', retryAfter: 2 } })
  await addStop(page)
  await waitStatus(page, /^Retrying in 2s$/)
  await waitStatus(page, /^Retrying in 1s$/)
  await waitAllSaved(page)

  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('503 + Retry-After', record)
  const attempts = record.log.filter((e) => e.write)
  expect(attempts.map((e) => e.outcome)).toEqual(['rejected-503', 'applied'])
  // Not before the server said: 2 s between the 503 going out and the retry arriving.
  expect(attempts[1]!.start - attempts[0]!.end!).toBeGreaterThanOrEqual(1900)
  expect(attempts[1]!.key).toBe(attempts[0]!.key)
  expectAppliedOnceInOrder(record)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })
})
