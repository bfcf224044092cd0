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
  storedWrites,
  summary,
  useHarness,
  waitAllSaved,
  waitLoaded,
} from './harness.ts'

const h = useHarness()

test('2.7 spool: writes pending while the server is down survive a reload and are applied exactly once, in order', async () => {
  const project = newProject('reload')
  h.server.control.set({ project, latency: 30 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)
  await addStop(page)
  await waitAllSaved(page)

  // The server stops answering: the next save hangs on the wire, later ones queue behind it.
  h.server.control.set({ project, hang: true })
  await addStop(page)
  await expect
    .poll(() => h.server.control.record(project).log.some((e) => e.outcome === 'pending'))
    .toBe(true)
  await drag(page, 5, 40, 60, 10)
  await rename(page, 6, 'Added while down')
  const beforeReload = await localState(page)
  // Two stored writes: the one on the wire and the newest pending one (older pending ones were replaced).
  await expect.poll(() => storedWrites(page, project)).toHaveLength(2)

  // Reloading with unsaved changes asks first (beforeunload); the user leaves anyway.
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type())
    void dialog.accept()
  })
  await page.reload({ waitUntil: 'domcontentloaded' })
  expect(dialogs).toEqual(['beforeunload'])

  // The new page restores both writes and resends the first; the server is still down.
  const held = () =>
    h.server.control.record(project).log.filter((e) => e.outcome === 'pending').length
  await expect.poll(held).toBe(1)
  expect(await storedWrites(page, project)).toHaveLength(2)
  expect(await page.getByTestId('status-text').textContent()).not.toBe('All changes saved')

  h.server.control.set({ project, hang: false })
  await waitLoaded(page)
  await waitAllSaved(page)
  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('reload', record)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  // The page shows the state from before the reload, which is what the server holds.
  expect(final).toEqual(beforeReload)
  expect(lastApplied(record)).toMatchObject({ rev: beforeReload.rev, stops: beforeReload.stops })
  // Three writes applied: the first edit, the one on the wire at reload, the newest pending one.
  expect(record.applied).toHaveLength(3)
  expect(await storedWrites(page, project)).toEqual([])
})
