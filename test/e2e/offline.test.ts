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

test('2.4 offline: edits made offline are kept, shown as pending, and sent in order once back online', async () => {
  const project = newProject('offline')
  h.server.control.set({ project, latency: 80 })
  const context = await h.context()
  const page = await openEditor(context, h.server.url, project)
  await waitAllSaved(page)

  await drag(page, 1, 60, -40, 20)
  await context.setOffline(true)
  const revAtOffline = (await localState(page)).rev
  await waitStatus(page, /^Offline — \d+ changes? pending$/)
  const seenOffline = await page.getByTestId('status-text').textContent()
  await drag(page, 3, -50, 70, 20)
  await addStop(page)
  await rename(page, 0, 'Hbf (offline rename)')
  await waitStatus(page, /^Offline — \d+ changes? pending$/)
  // No edit made offline reaches the server while the browser is offline.
  const whileOffline = h.server.control.record(project)
  expect(whileOffline.applied.every((a) => a.rev <= revAtOffline)).toBe(true)
  expect((await localState(page)).rev).toBeGreaterThan(revAtOffline + 20)

  await context.setOffline(false)
  await waitAllSaved(page)
  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('offline', record)
  expect(seenOffline).toMatch(/^Offline — \d+ changes? pending$/)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })
  expect(final.stops[0]!.name).toBe('Hbf (offline rename)')
  expect(final.stops).toHaveLength(6)
})
