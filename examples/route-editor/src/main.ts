import type { RouteStats, Stop } from '../../server/route.ts'
import { bindControls } from './controls.ts'
import { createQueue, localStorageSpool, type QueueOptions, watch } from './fetch-queue.ts'
import { createMap } from './map.ts'
import { bindRevisions } from './revisions.ts'
import { bindStatus } from './status.ts'
import './style.css'

// ?project=ID picks the document; ?baseDelay=&maxDelay= (ms) shorten the retry backoff for tests;
// ?poll=MS sets how often the stats are polled; ?timeout=MS bounds each attempt;
// ?keyFormat=sf-string sends idempotency keys in the IETF draft's quoted form.
const params = new URLSearchParams(location.search)
const projectId = /^[\w-]{1,64}$/.test(params.get('project') ?? '')
  ? params.get('project')!
  : 'demo'
const num = (name: string, fallback: number) => {
  const v = Number(params.get(name))
  return params.has(name) && Number.isFinite(v) && v >= 0 ? v : fallback
}
// Identifies this tab (it survives reloads, like the tab) in the server's log. Added at send
// time by beforeSend, so it is never stored with a write.
const tabId = sessionStorage.getItem('route-editor:tab') ?? crypto.randomUUID().slice(0, 8)
sessionStorage.setItem('route-editor:tab', tabId)

const options: QueueOptions = {
  // Pending saves survive a reload or a crash; other tabs of the same document keep their own.
  spool: localStorageSpool({ key: `route-editor:demo-user:${projectId}` }),
  onFailure: 'pause',
  retry: { baseDelay: num('baseDelay', 1000), maxDelay: num('maxDelay', 8000) },
  timeout: num('timeout', 30_000) || false,
  idempotencyFormat: params.get('keyFormat') === 'sf-string' ? 'sf-string' : 'bare',
  beforeSend(request) {
    request.headers.set('x-tab', tabId)
  },
}
const queue = createQueue(options)

const root = document.querySelector<HTMLElement>('[data-testid="app"]')!
const list = root.querySelector<HTMLOListElement>('[data-testid="stop-list"]')!
const statsEl = (id: string) => root.querySelector<HTMLElement>(`[data-testid="stats-${id}"]`)!
root.querySelector('[data-testid="project"]')!.textContent = projectId
root.dataset.tab = tabId

let stops: Stop[] = []
let rev = 0
const base = `/projects/${encodeURIComponent(projectId)}`

// ---- the stats panel: a watch, polled through the queue, so no poll ever overlaps a save --------

const stats = watch<RouteStats>(queue, `${base}/stats`, { interval: num('poll', 2000) })
// What the panel showed, and the newest edit the server had confirmed to this page by then:
// the end-to-end tests check that the panel never shows an edit older than a confirmed one.
const shown: { rev: number; confirmed: number }[] = []
let confirmed = 0
queue.on('sent', ({ item }) => {
  const edit = (item.meta as { rev?: number } | undefined)?.rev
  if (item.kind === 'write' && edit !== undefined) confirmed = Math.max(confirmed, edit)
})
stats.subscribe(() => {
  const { data } = stats.getSnapshot()
  if (data && data.rev !== shown.at(-1)?.rev) {
    shown.push({ rev: data.rev, confirmed })
    showStats(data)
  }
})
Object.assign(window, { statsShown: shown })

// ---- saving: one POST per change; the queue orders, dedupes and retries ------------------------

function save() {
  rev += 1
  root.dataset.rev = String(rev)
  queue.fetch(`${base}/stops`, {
    method: 'POST',
    json: { stops, rev },
    dedupe: true,
    meta: { rev },
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
  const response = await queue.fetch(`${base}/stops`)
  const state = (await response.json()) as { stops: Stop[]; rev: number }
  stops = state.stops
  rev = state.rev
  root.dataset.rev = String(rev)
  root.dataset.loaded = 'true'
  render()
  stats.refresh()
}

// ---- editing -------------------------------------------------------------------------------------

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

// Counts the queue's retries; shown nowhere, but handy in devtools and for the end-to-end tests.
let retries = 0
queue.on('retrying', () => {
  root.dataset.retries = String(++retries)
})

bindStatus({
  root,
  queue,
  onDiscard() {
    // The rejected change is gone; unless later changes will overwrite it, show the server's state.
    if (!queue.getSnapshot().items.some((i) => i.kind === 'write')) void load()
  },
})
bindControls(root.querySelector<HTMLElement>('[data-testid="server-controls"]')!, projectId)
bindRevisions(root, queue, base, tabId)
load().catch((error) => {
  root.querySelector('[data-testid="status-text"]')!.textContent =
    `Could not load the route: ${error}`
})
