import { expect, test } from 'vitest'
import type { LogEntry } from '../../examples/server/server.ts'
import type { BrowserContext, Page } from './harness.ts'
import {
  expectAppliedOnceInOrder,
  FAST_RETRY,
  lastApplied,
  newProject,
  summary,
  useHarness,
} from './harness.ts'

const h = useHarness()

/** The panel of one route, when several are open side by side. */
const panel = (project: string) => `[data-testid="app"][data-project="${project}"]`

/** Opens `?project=a,b`: the routes side by side, one lane each, in one queue. */
async function openRoutes(context: BrowserContext, projects: string[]): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${h.server.url}/?project=${projects.join(',')}&${FAST_RETRY}`)
  for (const p of projects) await page.waitForSelector(`${panel(p)}[data-loaded="true"]`)
  // Every status each panel's bar shows from here on, and whether its failure banner appears.
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {}
    for (const app of document.querySelectorAll<HTMLElement>('[data-testid="app"]')) {
      const bar = app.querySelector<HTMLElement>('[data-testid="status"]')!
      const banner = app.querySelector<HTMLElement>('[data-testid="failed-banner"]')!
      const list: string[] = (seen[app.dataset.project!] = [])
      const note = () => {
        const entry = `${bar.dataset.status}${banner.hidden ? '' : ' +banner'}`
        if (list.at(-1) !== entry) list.push(entry)
      }
      note()
      const all = { subtree: true, childList: true, characterData: true, attributes: true }
      new MutationObserver(note).observe(bar, all)
      new MutationObserver(note).observe(banner, all)
    }
    Object.assign(window, { statusesSeen: seen })
  })
  return page
}

const statusesSeen = (page: Page, project: string) =>
  page.evaluate(
    (p) => (window as unknown as { statusesSeen: Record<string, string[]> }).statusesSeen[p]!,
    project,
  )

const statusText = (page: Page, project: string) =>
  page.locator(`${panel(project)} [data-testid="status-text"]`).textContent()

function waitStatus(page: Page, project: string, pattern: RegExp) {
  return page.waitForFunction(
    ([selector, source]) =>
      new RegExp(source!).test(
        document.querySelector(`${selector} [data-testid="status-text"]`)?.textContent ?? '',
      ),
    [panel(project), pattern.source],
  )
}

/** Nothing pending in the route's lane, and its stats show its latest edit. */
function waitSaved(page: Page, project: string) {
  return page.waitForFunction((selector) => {
    const app = document.querySelector<HTMLElement>(selector)!
    return (
      app.querySelector('[data-testid="status-text"]')?.textContent === 'All changes saved' &&
      app.querySelector('[data-testid="stats-rev"]')?.textContent === app.dataset.rev
    )
  }, panel(project))
}

const addStop = (page: Page, project: string) =>
  page.locator(`${panel(project)} [data-testid="add-stop"]`).click()

/** The route as the panel holds it. */
function localState(page: Page, project: string) {
  return page.evaluate((selector) => {
    const app = document.querySelector<HTMLElement>(selector)!
    return {
      rev: Number(app.dataset.rev),
      stops: [...app.querySelectorAll<HTMLElement>('[data-testid="stop-row"]')].map((row) => {
        const value = (id: string) =>
          row.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!.value
        return {
          id: row.dataset.stopId!,
          name: value('stop-name'),
          lat: Number(value('stop-lat')),
          lng: Number(value('stop-lng')),
        }
      }),
    }
  }, panel(project))
}

const writes = (log: LogEntry[]) => log.filter((e) => e.write)

test('2.9 lanes: a slow save in one route does not hold back the other, and neither route overlaps its own requests', async () => {
  const [a, b] = [newProject('lane-a'), newProject('lane-b')]
  const page = await openRoutes(await h.context(), [a, b])
  await waitSaved(page, a)
  await waitSaved(page, b)

  // Route a's server takes 4 s per request; b's answers at once.
  h.server.control.set({ project: a, latency: 4000 })
  await addStop(page, a)
  await waitStatus(page, a, /^Saving…$/)
  await addStop(page, b)
  await addStop(page, b)
  await waitSaved(page, b)
  // b is saved, stats included, while a's save is still on the wire.
  expect(await statusText(page, a)).toBe('Saving…')
  expect(h.server.control.record(a).applied).toHaveLength(0)
  await waitSaved(page, a)

  const ra = h.server.control.record(a)
  const rb = h.server.control.record(b)
  summary('lane a (slow)', ra)
  summary('lane b', rb)
  for (const [project, record] of [
    [a, ra],
    [b, rb],
  ] as const) {
    // Within its lane, a route's reads and writes never overlap, and each write applies once.
    expect(record.overlaps).toBe(0)
    expectAppliedOnceInOrder(record)
    const local = await localState(page, project)
    expect(lastApplied(record)).toMatchObject({ rev: local.rev, stops: local.stops })
  }
  // Across lanes they ran side by side: b's saves came and went while a's was on the server.
  const slow = writes(ra.log)
  expect(slow).toHaveLength(1)
  expect(writes(rb.log).length).toBeGreaterThanOrEqual(1)
  for (const e of writes(rb.log)) {
    expect(e.start).toBeGreaterThan(slow[0]!.start)
    expect(e.end!).toBeLessThan(slow[0]!.end!)
  }
  expect(await statusesSeen(page, b)).not.toContain('failed')
})

test('2.9 lanes: a rejected save parks only its own route; the other keeps saving, and Retry resumes the parked one', async () => {
  const [a, b] = [newProject('park-a'), newProject('park-b')]
  const page = await openRoutes(await h.context(), [a, b])
  await waitSaved(page, a)
  await waitSaved(page, b)

  h.server.control.set({ project: a, fail: { mode: '400' } })
  await addStop(page, a)
  await waitStatus(page, a, /^Saving stopped — a change was rejected$/)
  await page.waitForSelector(`${panel(a)} [data-testid="failed-banner"]:not([hidden])`)
  // A later edit of a waits behind the parked one; b is not held back at all.
  await addStop(page, a)
  await addStop(page, b)
  await waitSaved(page, b)
  expect(await statusText(page, a)).toBe('Saving stopped — a change was rejected')
  const bWritesBeforeRetry = writes(h.server.control.record(b).log).length
  expect(bWritesBeforeRetry).toBeGreaterThanOrEqual(1)
  expect(h.server.control.record(a).applied).toHaveLength(0)

  await page.locator(`${panel(a)} [data-testid="banner-retry"]`).click()
  await waitSaved(page, a)

  const ra = h.server.control.record(a)
  const rb = h.server.control.record(b)
  summary('lane a (rejected, then retried)', ra)
  summary('lane b', rb)
  expect(writes(ra.log)[0]!.outcome).toBe('rejected-400')
  for (const [project, record] of [
    [a, ra],
    [b, rb],
  ] as const) {
    expect(record.overlaps).toBe(0)
    expectAppliedOnceInOrder(record)
    const local = await localState(page, project)
    expect(lastApplied(record)).toMatchObject({ rev: local.rev, stops: local.stops })
  }
  // b's saves were all applied before a's retry went out.
  const retried = writes(ra.log)[1]!
  for (const e of writes(rb.log)) expect(e.end!).toBeLessThan(retried.start)
  // Only a's bar ever said it failed; b's banner never showed.
  expect((await statusesSeen(page, a)).some((s) => s.startsWith('failed +banner'))).toBe(true)
  expect(
    (await statusesSeen(page, b)).filter((s) => s.includes('failed') || s.includes('banner')),
  ).toEqual([])
})
