import { join } from 'node:path'
import { build } from 'vite'
import { beforeAll, expect, inject, test } from 'vitest'
import type { ServerRecord } from '../../examples/server/server.ts'
import type { BrowserContext, Page } from './harness.ts'
import { FAST_RETRY, newProject, useHarness } from './harness.ts'

const h = useHarness()

// The chat page is served at /chat/ beside the editor, as `npm start` serves it.
beforeAll(async () => {
  await build({
    configFile: new URL('../../examples/chat/vite.config.ts', import.meta.url).pathname,
    build: { outDir: join(inject('pageDir'), 'chat'), emptyOutDir: true },
    logLevel: 'warn',
  })
})

async function openChat(context: BrowserContext, room: string, user: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${h.server.url}/chat/?room=${room}&user=${user}&${FAST_RETRY}`)
  await waitLive(page)
  return page
}

const waitLive = (page: Page) => page.waitForSelector('[data-testid="chat"][data-loaded="true"]')

async function say(page: Page, text: string) {
  await page.getByTestId('compose-text').fill(text)
  await page.getByTestId('compose-text').press('Enter')
}

/** The conversation as the page shows it: text and state of each message, in order. */
const shown = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="message"]')].map(
      (li) =>
        `${li.querySelector('[data-testid="message-text"]')!.textContent} (${li.dataset.state})`,
    ),
  )

const serverTexts = (room: string) => h.server.control.record(room).messages.map((m) => m.text)

function summary(name: string, r: ServerRecord) {
  const writes = r.log.filter((e) => e.write).length
  console.log(
    `[server] ${name}: ${r.requests} requests, ${writes} messages sent, ${r.messages.length} applied, ${r.replays} replayed, ${r.log.filter((e) => e.outcome === 'rejected-400').length} rejected, ${r.streams.connects} event streams`,
  )
}

const message = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text })

test('2.11 chat: messages show at once as sending, then sent, in order, for both users', async () => {
  const room = newProject('chat')
  h.server.control.set({ project: room, latency: 30 })
  const ann = await openChat(await h.context(), room, 'ann')
  const bob = await openChat(await h.context(), room, 'bob')

  // The server holds the first message unanswered: all three are on screen all the same.
  h.server.control.set({ project: room, hang: true })
  await say(ann, 'one')
  await say(ann, 'two')
  await say(ann, 'three')
  expect(await shown(ann)).toEqual(['one (sending)', 'two (sending)', 'three (sending)'])
  // Released, the held connection is cut: the first message is resent with its key, then the others.
  h.server.control.set({ project: room, hang: false })
  await say(bob, 'hi ann')
  await expect.poll(() => serverTexts(room).length).toBe(4)
  // Bob's message may land between Ann's; each user's own stay in the order they were written,
  // and both pages show the server's order.
  const order = serverTexts(room)
  expect(order.filter((t) => t !== 'hi ann')).toEqual(['one', 'two', 'three'])
  await expect.poll(() => shown(ann)).toEqual(order.map((t) => `${t} (sent)`))
  await expect.poll(() => shown(bob)).toEqual(order.map((t) => `${t} (sent)`))
  const record = h.server.control.record(room)
  expect(record.log.filter((e) => e.write && e.outcome === 'dropped')).toHaveLength(1)
  summary('chat, two users', record)
})

test('2.11 chat: a rejected message shows "not sent"; later ones wait; Retry and Give up work', async () => {
  const room = newProject('chat-fail')
  h.server.control.set({ project: room, latency: 30 })
  const ann = await openChat(await h.context(), room, 'ann')
  const bob = await openChat(await h.context(), room, 'bob')
  await say(ann, 'before')
  await expect.poll(() => shown(ann)).toEqual(['before (sent)'])

  // Rejected once: it parks, and the message after it waits instead of overtaking it.
  h.server.control.set({ project: room, fail: { mode: '400' } })
  await say(ann, 'rejected once')
  await message(ann, 'rejected once').and(ann.locator('[data-state="not-sent"]')).waitFor()
  await say(ann, 'written after it')
  await ann.waitForTimeout(300)
  expect(await shown(ann)).toEqual([
    'before (sent)',
    'rejected once (not-sent)',
    'written after it (sending)',
  ])
  expect(serverTexts(room)).toEqual(['before'])

  // Retry: it goes out with its own key, and the waiting one follows it.
  await message(ann, 'rejected once').getByTestId('retry').click()
  await expect
    .poll(() => shown(ann))
    .toEqual(['before (sent)', 'rejected once (sent)', 'written after it (sent)'])

  // Give up: the message is dropped and never reaches anyone; the next one goes.
  h.server.control.set({ project: room, fail: { mode: '400' } })
  await say(ann, 'never mind')
  await message(ann, 'never mind').getByTestId('give-up').waitFor()
  await say(ann, 'last')
  await message(ann, 'never mind').getByTestId('give-up').click()
  const final = ['before (sent)', 'rejected once (sent)', 'written after it (sent)', 'last (sent)']
  await expect.poll(() => shown(ann)).toEqual(final)
  await expect.poll(() => shown(bob)).toEqual(final)
  const record = h.server.control.record(room)
  expect(serverTexts(room)).toEqual(['before', 'rejected once', 'written after it', 'last'])
  // Each message was applied once, though one of them was sent twice.
  expect(new Set(record.messages.map((m) => m.id)).size).toBe(4)
  summary('chat, not sent / Retry / Give up', record)
})

test('2.11 chat: the outbox survives a reload while the server is down, and goes out in order', async () => {
  const room = newProject('chat-outbox')
  const context = await h.context()
  const ann = await openChat(context, room, 'ann')
  h.server.control.set({ project: room, down: true })
  await say(ann, 'queued 1')
  await say(ann, 'queued 2')
  expect(await shown(ann)).toEqual(['queued 1 (sending)', 'queued 2 (sending)'])
  await expect
    .poll(() =>
      ann.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chat:')).length),
    )
    .toBeGreaterThanOrEqual(2)

  await ann.reload({ waitUntil: 'domcontentloaded' })
  // Restored from the spool: the outbox is on screen again before the server is back.
  await expect.poll(() => shown(ann)).toEqual(['queued 1 (sending)', 'queued 2 (sending)'])
  expect(serverTexts(room)).toEqual([])

  h.server.control.set({ project: room, down: false })
  await waitLive(ann)
  await expect.poll(() => shown(ann)).toEqual(['queued 1 (sent)', 'queued 2 (sent)'])
  const bob = await openChat(await h.context(), room, 'bob')
  expect(await shown(bob)).toEqual(['queued 1 (sent)', 'queued 2 (sent)'])
  expect(serverTexts(room)).toEqual(['queued 1', 'queued 2'])
  const record = h.server.control.record(room)
  summary('chat outbox across a reload', record)
})
