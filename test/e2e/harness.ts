import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest'
import type { Stop } from '../../examples/server/route.ts'
import { type DemoServer, type ServerRecord, startServer } from '../../examples/server/server.ts'
import { connectEngine } from './engine/launch.ts'
import { EngineContext } from './engine/page.ts'
import type { BrowserContext, EngineDriver, EngineName, Page } from './engine/types.ts'

export type { BrowserContext, Dialog, Locator, Page } from './engine/types.ts'

export interface Harness {
  readonly server: DemoServer
  /** The engine this run drives: `chromium`, `firefox` or `webkit`. */
  readonly engine: EngineName
  /** A fresh browser profile (own localStorage, locks, sessionStorage) for one test. */
  context(): Promise<BrowserContext>
}

/**
 * One demo server per test file, connected to the run's browser engine (BROWSER_ENGINE, started by
 * the global setup); a fresh context per test, closed after it.
 */
export function useHarness(): Harness {
  let server: DemoServer
  let engine: EngineDriver
  const contexts: BrowserContext[] = []
  const { name, endpoint } = inject('engine')
  beforeAll(async () => {
    server = await startServer({ root: inject('pageDir') })
    engine = await connectEngine(name, endpoint)
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()))
    server.control.reset()
  })
  afterAll(async () => {
    await engine?.close()
    await server?.close()
  })
  return {
    get server() {
      return server
    },
    engine: name,
    async context() {
      const context = new EngineContext(await engine.newContext({ width: 1280, height: 800 }))
      context.setDefaultTimeout(20_000)
      contexts.push(context)
      return context
    },
  }
}

/** Short backoff so recovery takes milliseconds, not the default seconds. */
export const FAST_RETRY = 'baseDelay=50&maxDelay=300'

export async function openEditor(
  context: BrowserContext,
  url: string,
  project: string,
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${url}/?project=${project}&${FAST_RETRY}`)
  await waitLoaded(page)
  return page
}

export const waitLoaded = (page: Page) =>
  page.waitForSelector('[data-testid="app"][data-loaded="true"]')

export const statusText = (page: Page) => page.locator('[data-testid="status-text"]').textContent()

export function waitStatus(page: Page, pattern: RegExp) {
  return page.waitForFunction(
    ([source, flags]) =>
      new RegExp(source!, flags).test(
        document.querySelector('[data-testid="status-text"]')?.textContent ?? '',
      ),
    [pattern.source, pattern.flags],
  )
}

/** Waits until nothing is pending and the stats panel shows the page's latest edit. */
export function waitAllSaved(page: Page) {
  return page.waitForFunction(() => {
    const app = document.querySelector<HTMLElement>('[data-testid="app"]')!
    return (
      document.querySelector('[data-testid="status-text"]')?.textContent === 'All changes saved' &&
      document.querySelector('[data-testid="stats-rev"]')?.textContent === app.dataset.rev
    )
  })
}

/** The route as the page holds it, read from the stop list, and the page's edit counter. */
export async function localState(page: Page): Promise<{ rev: number; stops: Stop[] }> {
  return page.evaluate(() => ({
    rev: Number(document.querySelector<HTMLElement>('[data-testid="app"]')!.dataset.rev),
    stops: [...document.querySelectorAll<HTMLElement>('[data-testid="stop-row"]')].map((row) => {
      const value = (id: string) =>
        row.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!.value
      return {
        id: row.dataset.stopId!,
        name: value('stop-name'),
        lat: Number(value('stop-lat')),
        lng: Number(value('stop-lng')),
      }
    }),
  }))
}

export async function stats(page: Page) {
  return page.evaluate(() => {
    const text = (id: string) => document.querySelector(`[data-testid="stats-${id}"]`)!.textContent!
    return {
      stops: Number(text('stops')),
      length: text('length'),
      cost: text('cost'),
      rev: Number(text('rev')),
    }
  })
}

/** Drags stop `index` by (dx, dy) pixels in `steps` pointer moves: each move is one edit. */
export async function drag(page: Page, index: number, dx: number, dy: number, steps: number) {
  const box = (await page.locator('[data-testid="stop-marker"] circle').nth(index).boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  for (let i = 1; i <= steps; i++) await page.mouse.move(x + (dx * i) / steps, y + (dy * i) / steps)
  await page.mouse.up()
}

export async function addStop(page: Page) {
  await page.getByTestId('add-stop').click()
}

export async function rename(page: Page, index: number, name: string) {
  const input = page.getByTestId('stop-name').nth(index)
  await input.fill(name)
  await input.press('Enter')
}

/** Storage keys of the writes this page has stored for `project`. */
export function storedWrites(page: Page, project: string) {
  return page.evaluate(
    (prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)),
    `route-editor:demo-user:${project}/`,
  )
}

/**
 * Checks what every scenario must hold: each write applied once, in the order it was made; with
 * `by`, per sending tab, or per page that made it (its idempotency keys share their first 24
 * characters, whichever tab sent it).
 */
export function expectAppliedOnceInOrder(record: ServerRecord, by?: 'tab' | 'page') {
  const keys = record.applied.map((a) => a.key)
  expect(keys.every((k) => typeof k === 'string')).toBe(true)
  expect(new Set(keys).size).toBe(keys.length)
  const groups = new Map<string | undefined, number[]>()
  for (const a of record.applied) {
    const tab = by === 'tab' ? a.tab : by === 'page' ? a.key?.slice(0, 24) : undefined
    groups.set(tab, [...(groups.get(tab) ?? []), a.rev])
  }
  for (const revs of groups.values()) {
    expect(revs).toEqual([...revs].sort((a, b) => a - b))
    expect(new Set(revs).size).toBe(revs.length)
  }
}

export const lastApplied = (record: ServerRecord) => record.applied.at(-1)

/** A short, readable summary for the report printed by scripts/test-browser.mjs. */
export function summary(name: string, record: ServerRecord) {
  const writesSeen = record.log.filter((e) => e.write).length
  console.log(
    `[server] ${name}: ${record.requests} requests, ${writesSeen} writes sent, ${record.applied.length} applied, ` +
      `${record.replays} replayed, ${record.overlaps} overlaps, ${record.abandoned} abandoned` +
      (record.inProgress ? `, ${record.inProgress} answered 409 (in progress)` : ''),
  )
}

let n = 0
/** A project id no other test uses. */
export const newProject = (label: string) => `${label}-${Date.now().toString(36)}-${++n}`
