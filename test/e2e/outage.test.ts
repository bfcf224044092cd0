import { expect, test } from 'vitest'
import {
  addStop,
  drag,
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

// The network is cut at the server (every connection to it is closed unanswered), the way a
// real outage looks to a page, whatever the browser's navigator.onLine says. Every engine can do
// this; only Chromium's driver can also make the browser itself say offline.
test('2.4 outage: edits made while the server is unreachable are kept, shown as pending, and sent in order once it is back', async () => {
  const project = newProject('outage')
  h.server.control.set({ project, latency: 80 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)

  await drag(page, 1, 60, -40, 20)
  h.server.control.set({ project, down: true })
  const revAtOutage = (await localState(page)).rev
  await drag(page, 3, -50, 70, 20)
  await addStop(page)
  await rename(page, 0, 'Hbf (renamed during the outage)')
  // The page says the changes are pending and being retried; none of them is lost or applied.
  await waitStatus(page, /^Retrying in \d+s$/)
  const pending = Number(await page.getByTestId('status').getAttribute('data-pending'))
  expect(pending).toBeGreaterThan(0)
  const during = h.server.control.record(project)
  expect(during.applied.every((a) => a.rev <= revAtOutage)).toBe(true)
  expect(during.log.some((e) => e.write && e.outcome === 'dropped')).toBe(true)
  expect((await localState(page)).rev).toBeGreaterThan(revAtOutage + 20)

  h.server.control.set({ project, down: false })
  await waitAllSaved(page)
  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('outage', record)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })
  expect(final.stops[0]!.name).toBe('Hbf (renamed during the outage)')
  expect(final.stops).toHaveLength(6)
})
