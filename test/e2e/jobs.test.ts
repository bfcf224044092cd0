import { expect, test } from 'vitest'
import type { ServerRecord } from '../../examples/server/server.ts'
import type { Page } from './harness.ts'
import { newProject, openEditor, summary, useHarness, waitAllSaved, waitLoaded } from './harness.ts'

const h = useHarness()

/** The server record's line, with what it did with the project's exports. */
function report(name: string, record: ServerRecord) {
  summary(name, record)
  const e = record.exports
  console.log(
    `[server] ${name}: exports: ${e.posts} POSTs received, ${e.created} jobs created, ` +
      `${e.replays} replayed, ${e.polls} polls, ${e.results} results downloaded`,
  )
}

/** What the export panel shows: its state, and whether the button can start another export. */
const exportPanel = (page: Page) =>
  page.evaluate(() => ({
    state: document.querySelector<HTMLElement>('[data-testid="export-status"]')!.dataset.state,
    enabled: !document.querySelector<HTMLButtonElement>('[data-testid="export"]')!.disabled,
  }))

/** Waits until the export panel says `pattern`. */
function waitExport(page: Page, pattern: RegExp) {
  return page.waitForFunction(
    ([source, flags]) =>
      new RegExp(source!, flags).test(
        document.querySelector('[data-testid="export-status"]')?.textContent ?? '',
      ),
    [pattern.source, pattern.flags],
  )
}

/** The download link's file, as the page's blob holds it. */
async function downloaded(page: Page) {
  await page.waitForSelector('[data-testid="export-link"]')
  return page.evaluate(async () => {
    const a = document.querySelector<HTMLAnchorElement>('[data-testid="export-link"]')!
    return { csv: await (await fetch(a.href)).text(), url: a.dataset.url! }
  })
}

test('2.10 an export followed across a reload: the job is created once and the new page shows its result', async () => {
  const project = newProject('export')
  h.server.control.set({ project, latency: 30, exportTime: 4000 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)

  await page.getByTestId('export').click()
  await waitExport(page, /^Exporting… \d+ s$/)
  await expect.poll(() => h.server.control.record(project).exports.polls).toBeGreaterThan(0)
  expect(await page.getByTestId('export-status').textContent()).toMatch(/^Exporting… \d+ s$/)

  // Mid-job: the page goes away and comes back. The job is in the spool, not the POST to resend.
  await page.reload()
  await waitLoaded(page)
  await waitExport(page, /^Exporting… \d+ s$/)
  const { csv, url } = await downloaded(page)
  expect(await exportPanel(page)).toEqual({ state: 'ready', enabled: true })
  expect(csv.split('\n')[0]).toBe('stop,first,second,third,fourth')
  expect(csv).toContain('"Hauptbahnhof",06:00,06:10')
  expect(url).toMatch(/\/jobs\/j\d+\/result$/)

  const record = h.server.control.record(project)
  report('export across a reload', record)
  expect(record.exports).toMatchObject({ posts: 1, created: 1, replays: 0, results: 1 })
  // Polled by both pages, about once a second (the server's Retry-After) for the 4 s it ran.
  expect(record.exports.polls).toBeGreaterThanOrEqual(3)
  expect(record.exports.polls).toBeLessThanOrEqual(8)
  await waitAllSaved(page)
})

test('2.10 a lost 202: the POST is retried with the same key and the server makes one job', async () => {
  const project = newProject('export-lost')
  h.server.control.set({ project, latency: 30, exportTime: 1500 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)

  h.server.control.set({ project, fail: { mode: 'lose-response' } })
  await page.getByTestId('export').click()
  const { csv } = await downloaded(page)
  expect(csv).toContain('"Alexanderplatz"')

  const record = h.server.control.record(project)
  report('export with a lost 202', record)
  // The first POST made the job and lost its answer; the retry got the same job back.
  expect(record.exports).toMatchObject({ posts: 2, created: 1, replays: 1, results: 1 })
  // The retry is the queue's own (its `retrying` event fired), not a silent resend by the browser.
  expect(
    await page.evaluate(
      () => document.querySelector<HTMLElement>('[data-testid="app"]')!.dataset.retries,
    ),
  ).toBe('1')
})
