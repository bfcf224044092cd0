import { expect, test } from 'vitest'
import { countOverlaps } from '../../examples/server/server.ts'
import type { Page } from './harness.ts'
import {
  addStop,
  drag,
  expectAppliedOnceInOrder,
  FAST_RETRY,
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

const tabOf = (page: Page) => page.getByTestId('app').getAttribute('data-tab')
const acceptDialogs = (page: Page) => page.on('dialog', (dialog) => void dialog.accept())

test('2.7 several tabs: every stored write is sent by exactly one tab, even across a reload and a closed tab', async () => {
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

  // Reloading B while A is alive: B takes back its own writes, never A's (A holds its lock).
  acceptDialogs(b)
  await b.reload({ waitUntil: 'domcontentloaded' })
  expect(await tabOf(b)).toBe(tabB)
  await expect
    .poll(() =>
      held()
        .map((e) => e.tab)
        .sort(),
    )
    .toEqual([tabA, tabB].sort())

  // Closing A with writes pending: its partition is orphaned, and the next tab to start adopts it.
  acceptDialogs(a)
  await a.close({ runBeforeUnload: true })
  const c = await context.newPage()
  await c.goto(`${h.server.url}/?project=${project}&${FAST_RETRY}`)
  const tabC = await tabOf(c)
  await expect
    .poll(() =>
      held()
        .map((e) => e.tab)
        .sort(),
    )
    .toEqual([tabB, tabC].sort())

  h.server.control.set({ project, hang: false })
  await waitLoaded(b)
  await waitLoaded(c)
  await waitAllSaved(b)
  await waitAllSaved(c)
  expect(await storedWrites(c, project)).toEqual([])

  const record = h.server.control.record(project)
  summary('two tabs', record)
  expectAppliedOnceInOrder(record, true)
  // Two tabs are two queues, so their requests may overlap each other; within a tab, never.
  for (const tab of [tabA, tabB, tabC])
    expect(countOverlaps(record.log.filter((e) => e.tab === tab))).toBe(0)
  const tabsByKey = new Map<string, Set<string>>()
  for (const e of record.log) {
    if (e.write && e.key) tabsByKey.set(e.key, (tabsByKey.get(e.key) ?? new Set()).add(e.tab!))
  }
  // B's writes were only ever sent by B. A's were sent by A until it closed, then by C only.
  const fromA = [...tabsByKey].filter(([, tabs]) => tabs.has(tabA!))
  const fromB = [...tabsByKey].filter(([, tabs]) => tabs.has(tabB!))
  expect(fromA.length).toBeGreaterThan(0)
  expect(fromB.length).toBeGreaterThan(0)
  for (const [, tabs] of fromB) expect([...tabs]).toEqual([tabB])
  for (const [, tabs] of fromA) expect([...tabs].every((t) => t === tabA || t === tabC)).toBe(true)
  const closedAt = record.log.findIndex((e) => e.tab === tabC)
  for (const e of record.log.slice(closedAt)) {
    if (e.write && fromA.some(([key]) => key === e.key)) expect(e.tab).toBe(tabC)
  }
  // A's last edit (its rename) reached the server, sent by C.
  expect(record.applied.some((a) => a.tab === tabC && a.stops[0]!.name === 'Edited in tab A')).toBe(
    true,
  )
})
