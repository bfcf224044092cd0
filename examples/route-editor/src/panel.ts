import type { RouteStats, Stop } from '../../server/route.ts'
import { type FetchQueue, watch } from './fetch-queue.ts'
import { createMap } from './map.ts'

export interface RouteOptions {
  /** The panel: a copy of the page's route markup (`data-testid="app"`). */
  root: HTMLElement
  queue: FetchQueue
  /** The project whose route the panel edits. */
  project: string
  /**
   * The queue lane its requests go in: its own when routes are open side by side, so a slow or
   * failing save in one never holds back another. `''` (the default lane) for a single route.
   */
  lane: string
  /** Milliseconds between polls of the stats. */
  poll: number
}

export interface RoutePanel {
  /** `/projects/:id`: where the route's API lives. */
  base: string
  /** Reads the server's state into the panel. */
  load(): Promise<void>
  /** Reloads the server's state, unless writes still pending will overwrite it. */
  refresh(): void
  /** Each stats revision the panel showed, and the newest edit confirmed to it by then. */
  statsShown: { rev: number; confirmed: number }[]
}

/**
 * One route editor: the stop list and map, saving on every change, and the stats panel. Mounted
 * once per project; the status bar, server log and server controls are bound to it by main.ts.
 */
export function mountRoute({ root, queue, project, lane, poll }: RouteOptions): RoutePanel {
  const list = root.querySelector<HTMLOListElement>('[data-testid="stop-list"]')!
  const statsEl = (id: string) => root.querySelector<HTMLElement>(`[data-testid="stats-${id}"]`)!
  root.querySelector('[data-testid="project"]')!.textContent = project
  root.dataset.project = project

  let stops: Stop[] = []
  let rev = 0
  const base = `/projects/${encodeURIComponent(project)}`

  // ---- the stats panel: a watch, polled through the queue, so no poll ever overlaps a save ------

  const stats = watch<RouteStats>(queue, `${base}/stats`, { interval: poll, lane })
  // What the panel showed, and the newest edit the server had confirmed to this page by then:
  // the end-to-end tests check that the panel never shows an edit older than a confirmed one.
  const shown: { rev: number; confirmed: number }[] = []
  let confirmed = 0
  queue.on('sent', ({ item }) => {
    const edit = (item.meta as { rev?: number } | undefined)?.rev
    if (item.lane === lane && item.kind === 'write' && edit !== undefined)
      confirmed = Math.max(confirmed, edit)
  })
  stats.subscribe(() => {
    const { data } = stats.getSnapshot()
    if (data && data.rev !== shown.at(-1)?.rev) {
      shown.push({ rev: data.rev, confirmed })
      showStats(data)
    }
  })

  // ---- saving: one POST per change; the queue orders, dedupes and retries -----------------------

  function save() {
    rev += 1
    root.dataset.rev = String(rev)
    queue.fetch(`${base}/stops`, {
      method: 'POST',
      json: { stops, rev },
      dedupe: true,
      meta: { rev },
      lane,
    })
    // Polls now, behind this save: a poll still waiting or on the wire is replaced.
    stats.refresh()
  }

  function showStats(stats: RouteStats) {
    statsEl('stops').textContent = String(stats.stopCount)
    statsEl('length').textContent = `${stats.lengthKm.toFixed(2)} km`
    statsEl('cost').textContent = `€${stats.costPerDay.toLocaleString('en')}`
    statsEl('rev').textContent = String(stats.rev)
    statsEl('rev').closest('section')!.dataset.rev = String(stats.rev)
  }

  /** Reads the server's state. Queued, so it runs after every stored write restored from a reload. */
  async function load() {
    root.dataset.loaded = 'false'
    const response = await queue.fetch(`${base}/stops`, { lane })
    const state = (await response.json()) as { stops: Stop[]; rev: number }
    stops = state.stops
    rev = state.rev
    root.dataset.rev = String(rev)
    root.dataset.loaded = 'true'
    render()
    stats.refresh()
  }

  // ---- editing ----------------------------------------------------------------------------------

  const newId = () => crypto.randomUUID().slice(0, 8)

  function addStop(lat: number, lng: number) {
    stops = [...stops, { id: newId(), name: `Stop ${stops.length + 1}`, lat, lng }]
    render()
    save()
  }

  function updateStop(id: string, patch: Partial<Stop>) {
    stops = stops.map((s) => (s.id === id ? { ...s, ...patch } : s))
    render()
    save()
  }

  function removeStop(id: string) {
    stops = stops.filter((s) => s.id !== id)
    render()
    save()
  }

  const map = createMap(root.querySelector<SVGSVGElement>('[data-testid="map"]')!, {
    add: addStop,
    move: (id, lat, lng) => updateStop(id, { lat, lng }),
  })

  root.querySelector('[data-testid="add-stop"]')!.addEventListener('click', () => {
    const last = stops.at(-1) ?? { lat: 52.525, lng: 13.39 }
    addStop(Math.round((last.lat - 0.002) * 1e6) / 1e6, Math.round((last.lng + 0.004) * 1e6) / 1e6)
  })

  const rows = new Map<string, HTMLLIElement>()

  function row(stop: Stop): HTMLLIElement {
    const li = document.createElement('li')
    li.dataset.testid = 'stop-row'
    li.dataset.stopId = stop.id
    li.innerHTML = `
      <input class="name" data-testid="stop-name" aria-label="Name" maxlength="80" />
      <input class="coord" data-testid="stop-lat" aria-label="Latitude" inputmode="decimal" />
      <input class="coord" data-testid="stop-lng" aria-label="Longitude" inputmode="decimal" />
      <button type="button" class="icon" data-testid="stop-remove" aria-label="Remove stop">×</button>`
    const [name, lat, lng] = li.querySelectorAll('input')
    name!.addEventListener('change', () => updateStop(stop.id, { name: name!.value.trim() }))
    const coord = (input: HTMLInputElement, field: 'lat' | 'lng', limit: number) =>
      input.addEventListener('change', () => {
        const value = Number(input.value)
        if (input.value.trim() === '' || !Number.isFinite(value) || Math.abs(value) > limit) {
          input.setCustomValidity(`Enter a number between -${limit} and ${limit}`)
          input.reportValidity()
          return
        }
        input.setCustomValidity('')
        updateStop(stop.id, { [field]: Math.round(value * 1e6) / 1e6 })
      })
    coord(lat!, 'lat', 90)
    coord(lng!, 'lng', 180)
    li.querySelector('button')!.addEventListener('click', () => removeStop(stop.id))
    return li
  }

  function render() {
    map.render(stops)
    const seen = new Set<string>()
    for (const stop of stops) {
      seen.add(stop.id)
      let li = rows.get(stop.id)
      if (!li) rows.set(stop.id, (li = row(stop)))
      const [name, lat, lng] = li.querySelectorAll('input')
      // Do not overwrite what the user is typing.
      if (document.activeElement !== name) name!.value = stop.name
      if (document.activeElement !== lat) lat!.value = String(stop.lat)
      if (document.activeElement !== lng) lng!.value = String(stop.lng)
      list.append(li)
    }
    for (const [id, li] of rows) {
      if (!seen.has(id)) {
        li.remove()
        rows.delete(id)
      }
    }
  }

  // Counts the lane's retries; shown nowhere, but handy in devtools and for the end-to-end tests.
  let retries = 0
  queue.on('retrying', ({ item }) => {
    if (item.lane === lane) root.dataset.retries = String(++retries)
  })

  return {
    base,
    load,
    refresh() {
      if (!queue.getSnapshot().items.some((i) => i.lane === lane && i.kind === 'write')) void load()
    },
    statsShown: shown,
  }
}
