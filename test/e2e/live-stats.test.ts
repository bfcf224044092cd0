import { expect, test } from 'vitest'
import { routeStats } from '../../examples/server/route.ts'
import type { LogEntry } from '../../examples/server/server.ts'
import {
  addStop,
  drag,
  expectAppliedOnceInOrder,
  FAST_RETRY,
  lastApplied,
  localState,
  newProject,
  openEditor,
  stats,
  summary,
  useHarness,
  waitAllSaved,
  waitLoaded,
} from './harness.ts'

const h = useHarness()

/** Every value the stats panel showed, with the newest edit the server had confirmed by then. */
const shown = (page: import('./harness.ts').Page) =>
  page.evaluate(
    () => (window as unknown as { statsShown: { rev: number; confirmed: number }[] }).statsShown,
  )

test('2.11 the stats panel, polled by a watch, never shows a state older than the last applied edit', async () => {
  const project = newProject('live-stats')
  h.server.control.set({ project, latency: 80 })
  const context = await h.context()
  const page = await context.newPage()
  // A short poll interval: polls keep coming while the edits go out.
  await page.goto(`${h.server.url}/?project=${project}&${FAST_RETRY}&poll=100`)
  await waitLoaded(page)
  await waitAllSaved(page)

  // Bursts of edits with short pauses between them, while polls keep coming.
  for (let i = 0; i < 6; i++) {
    await drag(page, i % 5, 20 + 10 * i, 30 - 12 * i, 12)
    if (i % 2) await addStop(page)
    await page.waitForTimeout(400)
  }
  await waitAllSaved(page)
  const after = await localState(page)

  const record = h.server.control.record(project)
  const polls = record.log.filter((e) => e.path.endsWith('/stats'))
  const writes = record.log.filter((e) => e.write && e.outcome === 'applied')
  const during = (e: LogEntry, w: LogEntry) => w.start < e.start && e.start < (w.end ?? Infinity)
  // A poll that arrived while a save was being applied: the barrier would have failed.
  const racing = polls.filter((p) => writes.some((w) => during(p, w)))
  // A save that arrived while a poll was still on the server: only when refresh() replaced that
  // poll on the wire (the queue aborts it, and the browser may close its socket a moment after
  // the save went out). Its answer is never used.
  const replaced = polls.filter(
    (p) => p.outcome !== 'abandoned' && writes.some((w) => during(w, p)),
  )
  summary(`live stats over ${after.rev} edits`, record)
  console.log(
    `[server] live stats: ${polls.length} stats polls, ${polls.filter((e) => e.outcome === 'abandoned').length + replaced.length} replaced on the wire by refresh(), ${racing.length} arrived during a save`,
  )
  expectAppliedOnceInOrder(record)
  expect(racing).toEqual([])

  const seen = await shown(page)
  // The panel moved along during the session, not only at its end.
  expect(seen.length).toBeGreaterThan(3)
  const applied = new Set([0, ...record.applied.map((a) => a.rev)])
  for (const [i, s] of seen.entries()) {
    // Never an edit older than one the server had already confirmed to this page…
    expect(s.rev).toBeGreaterThanOrEqual(s.confirmed)
    // …never a step back…
    if (i > 0) expect(s.rev).toBeGreaterThan(seen[i - 1]!.rev)
    // …and always a state the server really had, not one half-way through a save.
    expect(applied.has(s.rev)).toBe(true)
  }
  expect(seen.at(-1)!.rev).toBe(after.rev)
  expect(lastApplied(record)).toMatchObject({ rev: after.rev, stops: after.stops })
  const expected = routeStats(after.stops, after.rev)
  expect((await stats(page)).stops).toBe(expected.stopCount)
})

test("2.11 polling brings another tab's edit to the panel without a reload", async () => {
  const project = newProject('live-stats-tabs')
  const context = await h.context()
  const a = await context.newPage()
  await a.goto(`${h.server.url}/?project=${project}&${FAST_RETRY}&poll=200`)
  await waitLoaded(a)
  await waitAllSaved(a)
  const b = await openEditor(context, h.server.url, project)
  await addStop(b)
  await waitAllSaved(b)
  const edit = (await localState(b)).rev
  // A made no change of its own: only its poll can bring B's edit.
  await a.waitForFunction(
    (rev) => document.querySelector('[data-testid="stats-rev"]')?.textContent === String(rev),
    edit,
  )
  expect((await stats(a)).stops).toBe((await localState(b)).stops.length)
})
