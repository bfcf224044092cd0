import { expect, test } from 'vitest'
import {
  addStop,
  expectAppliedOnceInOrder,
  FAST_RETRY,
  lastApplied,
  localState,
  newProject,
  summary,
  useHarness,
  waitAllSaved,
  waitLoaded,
} from './harness.ts'

const h = useHarness()

test('2.5 a write whose first attempt times out while the server still processes it ends saved, applied once, the 409 retried in between', async () => {
  const project = newProject('idem')
  const page = await (await h.context()).newPage()
  // Attempts time out after 1 s; keys go in the IETF draft's quoted form.
  await page.goto(
    `${h.server.url}/?project=${project}&${FAST_RETRY}&timeout=1000&keyFormat=sf-string`,
  )
  await waitLoaded(page)
  await waitAllSaved(page)

  // Every status the bar shows from here on, and whether the failure banner ever appears.
  await page.evaluate(() => {
    const bar = document.querySelector<HTMLElement>('[data-testid="status"]')!
    const banner = document.querySelector<HTMLElement>('[data-testid="failed-banner"]')!
    const seen: string[] = []
    const note = () => {
      const entry = `${bar.dataset.status}: ${bar.textContent?.trim()}${banner.hidden ? '' : ' +banner'}`
      if (seen.at(-1) !== entry) seen.push(entry)
    }
    const watch = { subtree: true, childList: true, characterData: true, attributes: true }
    new MutationObserver(note).observe(bar, watch)
    new MutationObserver(note).observe(banner, watch)
    Object.assign(window, { statusesSeen: seen })
  })

  // The server takes 2.5 s to process a write: longer than an attempt may wait.
  h.server.control.set({ project, processing: 2500 })
  await addStop(page)
  await waitAllSaved(page)

  const final = await localState(page)
  const record = h.server.control.record(project)
  summary('timeout while processing', record)
  const attempts = record.log.filter((e) => e.write)
  const outcomes = attempts.map((e) => e.outcome)
  // The first attempt was applied once its processing ended, after the page had given up on it;
  // the retries meanwhile were told 409 (still in progress); the last got the stored answer.
  expect(outcomes[0]).toBe('applied')
  expect(outcomes.at(-1)).toBe('replayed')
  expect(outcomes.slice(1, -1).length).toBeGreaterThanOrEqual(1)
  expect(new Set(outcomes.slice(1, -1))).toEqual(new Set(['in-progress']))
  expect(record.inProgress).toBe(attempts.length - 2)
  // The page gave up on the first attempt (its timeout) before the server had answered it.
  expect(attempts[0]!.end! - attempts[0]!.start).toBeGreaterThanOrEqual(900)
  expect(attempts[0]!.end! - attempts[0]!.start).toBeLessThan(2500)
  // One key, sent quoted on every attempt.
  const key = attempts[0]!.key!
  expect(attempts.every((e) => e.key === key && e.keyHeader === `"${key}"`)).toBe(true)
  // Every retry was the queue's own (its `retrying` event fired), not a resend by the browser.
  const retries = await page.evaluate(
    () => document.querySelector<HTMLElement>('[data-testid="app"]')!.dataset.retries,
  )
  expect(Number(retries)).toBe(attempts.length - 1)

  expect(record.applied).toHaveLength(1)
  expectAppliedOnceInOrder(record)
  expect(record.overlaps).toBe(0)
  expect(lastApplied(record)).toMatchObject({ rev: final.rev, stops: final.stops })

  const statuses = await page.evaluate(
    () => (window as unknown as { statusesSeen: string[] }).statusesSeen,
  )
  expect(statuses.length).toBeGreaterThan(0)
  expect(statuses.filter((s) => s.startsWith('failed') || s.includes('+banner'))).toEqual([])
  expect(statuses.at(-1)).toBe('saved: All changes saved')
})
