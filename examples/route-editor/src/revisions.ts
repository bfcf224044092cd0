import type { FetchQueue } from './fetch-queue.ts'
import { watch } from './fetch-queue.ts'

/** One applied write, as `GET /projects/:id/events` announces it. */
export interface Revision {
  /** The event's id: the server numbers its events 1, 2, 3… */
  id: number
  rev: number
  stopCount: number
  tab?: string
}

const SHOWN = 8

/**
 * The "Server log" panel: every revision the server applied, from any tab, pushed over
 * server-sent events by `watch`. The stream reconnects by itself with `Last-Event-ID`, so a
 * dropped connection loses no revision and shows none twice. `data-ids` lists every id received,
 * in order, for the end-to-end tests.
 */
export function bindRevisions(
  root: HTMLElement,
  queue: FetchQueue,
  base: string,
  tab: string,
  lane = '',
) {
  const panel = root.querySelector<HTMLElement>('[data-testid="revisions"]')!
  const list = panel.querySelector<HTMLOListElement>('[data-testid="revision-list"]')!
  const feed = panel.querySelector<HTMLElement>('[data-testid="feed-status"]')!
  const revisions = watch<Revision[]>(queue, `${base}/events`, {
    lane,
    reduce: (all = [], event) =>
      event.type === 'revision'
        ? [...all, { id: Number(event.id), ...JSON.parse(event.data) }]
        : all,
  })
  const render = () => {
    const { data = [], status, error } = revisions.getSnapshot()
    feed.dataset.status = status
    feed.textContent = status === 'live' ? 'live' : error ? `${status}: ${error.message}` : status
    panel.dataset.ids = data.map((r) => r.id).join(',')
    list.replaceChildren(
      ...data
        .slice(-SHOWN)
        .reverse()
        .map((r) => {
          const li = document.createElement('li')
          li.dataset.testid = 'revision'
          li.className = r.tab === tab ? 'mine' : ''
          li.textContent = `#${r.id} edit ${r.rev} · ${r.stopCount} stops · ${r.tab === tab ? 'this tab' : `tab ${r.tab ?? '?'}`}`
          return li
        }),
    )
  }
  revisions.subscribe(render)
  render()
  return revisions
}
