import { expect, test } from 'vitest'
import {
  addStop,
  expectAppliedOnceInOrder,
  lastApplied,
  localState,
  newProject,
  openEditor,
  rename,
  summary,
  useHarness,
  waitAllSaved,
  waitStatus,
} from './harness.ts'

const h = useHarness()

test("2.4 onFailure 'pause': a rejected write parks the lane behind a banner; Discard moves on, Retry resends it", async () => {
  const project = newProject('banner')
  h.server.control.set({ project, latency: 30 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)
  const banner = page.getByTestId('failed-banner')
  const writes = () => h.server.control.record(project).log.filter((e) => e.write)

  // A 400 parks the write; the next change waits behind it instead of being sent.
  h.server.control.set({ project, fail: { mode: '400' } })
  await addStop(page)
  await banner.waitFor({ state: 'visible' })
  expect(await page.getByTestId('banner-text').textContent()).toContain('400')
  const rejected = (await localState(page)).rev
  await rename(page, 0, 'Queued behind the rejected edit')
  await waitStatus(page, /rejected/)
  expect(writes().map((e) => e.outcome)).toEqual(['rejected-400'])

  // Discard: the rejected write is dropped and the lane continues with the newer change.
  await page.getByTestId('banner-discard').click()
  await banner.waitFor({ state: 'hidden' })
  await waitAllSaved(page)
  const afterDiscard = await localState(page)
  let record = h.server.control.record(project)
  expect(record.applied.map((a) => a.rev)).toEqual([afterDiscard.rev])
  expect(record.applied[0]!.rev).toBeGreaterThan(rejected)
  expect(lastApplied(record)).toMatchObject({ stops: afterDiscard.stops })

  // Retry: the same write goes again, with the same key, and is applied once.
  h.server.control.set({ project, fail: { mode: '400' } })
  await rename(page, 1, 'Rejected once, then retried')
  await banner.waitFor({ state: 'visible' })
  await page.getByTestId('banner-retry').click()
  await banner.waitFor({ state: 'hidden' })
  await waitAllSaved(page)

  const final = await localState(page)
  record = h.server.control.record(project)
  summary('400 + pause', record)
  const last = record.log.filter((e) => e.write).slice(-2)
  expect(last.map((e) => e.outcome)).toEqual(['rejected-400', 'applied'])
  expect(last[1]!.key).toBe(last[0]!.key)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })
  expect(final.stops[1]!.name).toBe('Rejected once, then retried')
})
