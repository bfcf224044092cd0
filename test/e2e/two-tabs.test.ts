import { expect, test } from 'vitest'
import { countOverlaps } from '../../examples/server/server.ts'
import type { Page } from './harness.ts'
import {
  addStop,
  drag,
  expectAppliedOnceInOrder,
  newProject,
  openEditor,
  rename,
  storedWrites,
  summary,
  useHarness,
  waitAllSaved,
  waitLoaded,
  waitStatus,
} from './harness.ts'

const h = useHarness()

const tabOf = (page: Page) => page.getByTestId('app').getAttribute('data-tab')
const acceptDialogs = (page: Page) => page.on('dialog', (dialog) => void dialog.accept())

test("2.7 several tabs: every stored write is sent by exactly one tab, across a reload, and a running tab adopts a closed tab's writes", async () => {
  const project = newProject('tabs')
  h.server.control.set({ project, latency: 30 })
  const context = await h.context()
  const a = await openEditor(context, h.server.url, project)
  const b = await openEditor(context, h.server.url, project)
  await waitAllSaved(a)
  await waitAllSaved(b)
  const tabA = await tabOf(a)
  const tabB = await tabOf(b)
  expect(tabA).not.toBe(tabB)

  // The server stops answering; both tabs keep editing, each with two stored writes.
  h.server.control.set({ project, hang: true })
  const held = () => h.server.control.record(project).log.filter((e) => e.outcome === 'pending')
  await addStop(a)
  await addStop(b)
  await expect.poll(() => held().length).toBe(2)
  await rename(a, 0, 'Edited in tab A')
  await drag(b, 1, 30, 30, 5)
  await expect.poll(() => storedWrites(a, project)).toHaveLength(4)

  // Reloading B while A is alive: B takes back its own writes, never A's (A holds its lock),
  // and A, which waits for B's partition, leaves it to B's new page. The new page sends its
  // restored write before anything else, its first read included.
  acceptDialogs(b)
  await b.reload({ waitUntil: 'domcontentloaded' })
  expect(await tabOf(b)).toBe(tabB)
  await expect
    .poll(() => held().map((e) => `${e.tab === tabA ? 'A' : 'B'} ${e.method}`), {
      timeout: 10_000,
    })
    .toEqual(['A POST', 'B POST'])

  // Closing A with writes pending: B, still running, takes A's partition the moment A's lock is
  // released (it has waited for that lock since it started), without a reload.
  acceptDialogs(a)
  await a.close({ runBeforeUnload: true })
  const closedAt = Date.now()
  h.server.control.set({ project, hang: false })
  const renamedByB = () =>
    h.server.control
      .record(project)
      .applied.some((w) => w.tab === tabB && w.stops[0]!.name === 'Edited in tab A')
  await expect.poll(renamedByB, { timeout: 10_000 }).toBe(true)
  const seconds = (Date.now() - closedAt) / 1000
  await waitLoaded(b)
  await waitStatus(b, /^All changes saved$/)
  expect(await storedWrites(b, project)).toEqual([])

  const record = h.server.control.record(project)
  summary(`two tabs (A's writes adopted by B ${seconds.toFixed(1)} s after A closed)`, record)
  // Each page's writes applied once, in the order that page made them, whichever tab sent them.
  expectAppliedOnceInOrder(record, 'page')
  // Two tabs are two queues, so their requests may overlap each other; within a tab, never.
  for (const tab of [tabA, tabB])
    expect(countOverlaps(record.log.filter((e) => e.tab === tab))).toBe(0)
  const tabsByKey = new Map<string, Set<string>>()
  for (const e of record.log) {
    if (e.write && e.key) tabsByKey.set(e.key, (tabsByKey.get(e.key) ?? new Set()).add(e.tab!))
  }
  // B's writes were only ever sent by B. A's were sent by A until it closed, then by B.
  const fromA = [...tabsByKey].filter(([, tabs]) => tabs.has(tabA!))
  const fromB = [...tabsByKey].filter(([, tabs]) => tabs.has(tabB!) && !tabs.has(tabA!))
  expect(fromA.length).toBeGreaterThan(0)
  expect(fromB.length).toBeGreaterThan(0)
  for (const [, tabs] of fromA) expect([...tabs].every((t) => t === tabA || t === tabB)).toBe(true)
  // A's last edit (its rename) reached the server, sent by B within seconds of A closing.
  expect(seconds).toBeLessThan(10)
})
