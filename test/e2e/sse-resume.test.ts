import { expect, test } from 'vitest'
import type { Page } from './harness.ts'
import {
  addStop,
  drag,
  expectAppliedOnceInOrder,
  newProject,
  openEditor,
  summary,
  useHarness,
  waitAllSaved,
} from './harness.ts'

const h = useHarness()

/** The ids of every event the server log panel received, in order. */
const received = (page: Page) =>
  page.evaluate(() =>
    (document.querySelector<HTMLElement>('[data-testid="revisions"]')!.dataset.ids ?? '')
      .split(',')
      .filter(Boolean)
      .map(Number),
  )

const waitFeed = (page: Page, status: string) =>
  page.waitForFunction(
    (s) => document.querySelector<HTMLElement>('[data-testid="feed-status"]')?.dataset.status === s,
    status,
  )

test('2.11 with the SSE connection dropped mid-session, the stream resumes from Last-Event-ID: no event missed, none twice', async () => {
  const project = newProject('sse')
  // The server asks for 200 ms between reconnects: the watch uses it as its backoff's base.
  h.server.control.set({ project, latency: 40, streamRetry: 200 })
  const page = await openEditor(await h.context(), h.server.url, project)
  await waitAllSaved(page)
  await waitFeed(page, 'live')

  await addStop(page)
  await drag(page, 1, 30, 20, 4)
  await waitAllSaved(page)
  await expect
    .poll(() => received(page))
    .toEqual(h.server.control.record(project).applied.map((_, i) => i + 1))
  const beforeDrop = (await received(page)).at(-1)!

  // The connection drops while nothing is happening, and the page edits on…
  const open = () => expect.poll(() => h.server.control.record(project).streams.open).toBe(1)
  h.server.control.set({ project, dropStreams: true })
  await addStop(page)
  await drag(page, 2, -30, 20, 4)
  await open()
  // …again while edits are on their way…
  await addStop(page)
  h.server.control.set({ project, dropStreams: true })
  await drag(page, 3, 20, -20, 4)
  await open()
  // …and once more with the server down, so reconnects fail for a while.
  h.server.control.set({ project, down: true, dropStreams: true })
  await waitFeed(page, 'retrying')
  await addStop(page)
  h.server.control.set({ project, down: false })
  await waitAllSaved(page)
  await waitFeed(page, 'live')

  const record = h.server.control.record(project)
  const ids = record.applied.map((_, i) => i + 1)
  await expect.poll(() => received(page)).toEqual(ids)
  summary('SSE resume', record)
  const { streams } = record
  console.log(
    `[server] SSE resume: ${ids.length} events, ${streams.connects} connections, ${streams.dropped} dropped by the server, Last-Event-ID sent: ${streams.resumes.map((r) => r ?? '–').join(' ')}, ${streams.sent} events written`,
  )
  expectAppliedOnceInOrder(record)
  // The first connection sent none; each reconnect after a drop resumed after the last event seen.
  expect(streams.resumes[0]).toBeNull()
  expect(streams.resumes).toContain(String(beforeDrop))
  expect(streams.resumes.slice(1).every((r) => r !== null)).toBe(true)
  expect(streams.dropped).toBeGreaterThanOrEqual(3)
  // An event cut off on the wire by a drop is sent again on the resume; the page still shows it once.
  expect(streams.sent).toBeGreaterThanOrEqual(ids.length)
})
