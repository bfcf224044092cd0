import { expect, test } from 'vitest'
import { routeStats } from '../../examples/server/route.ts'
import {
  drag,
  expectAppliedOnceInOrder,
  lastApplied,
  localState,
  newProject,
  openEditor,
  stats,
  summary,
  useHarness,
  waitAllSaved,
} from './harness.ts'

const h = useHarness()

test('2.2 + 2.3: a burst of 100 edits at 80 ms latency is saved in order, deduped, with no read overlapping a write', async () => {
  const project = newProject('burst')
  h.server.control.set({ project, latency: 80 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)
  const before = await localState(page)

  await drag(page, 2, 140, 90, 100)
  const after = await localState(page)
  const edits = after.rev - before.rev
  expect(edits).toBeGreaterThanOrEqual(100)

  await waitAllSaved(page)
  const record = h.server.control.record(project)
  summary(`burst of ${edits} edits`, record)
  expectAppliedOnceInOrder(record)
  // Dedupe: pending saves were replaced by newer ones, so far fewer than one request per edit.
  const writesSent = record.log.filter((e) => e.write).length
  expect(writesSent).toBeLessThanOrEqual(edits / 2)
  expect(record.overlaps).toBe(0)
  // The server ends on the last edit, and the panel shows the stats of exactly that state.
  expect(lastApplied(record)).toMatchObject({ rev: after.rev, stops: after.stops })
  const expected = routeStats(after.stops, after.rev)
  expect(await stats(page)).toEqual({
    stops: expected.stopCount,
    length: `${expected.lengthKm.toFixed(2)} km`,
    cost: `€${expected.costPerDay.toLocaleString('en')}`,
    rev: after.rev,
  })
})
