import { bindControls } from './controls.ts'
import { createQueue, localStorageSpool, type QueueOptions } from './fetch-queue.ts'
import { mountRoute } from './panel.ts'
import { bindRevisions } from './revisions.ts'
import { bindStatus } from './status.ts'
import './style.css'

// ?project=ID picks the document, ?project=A,B opens two side by side; ?baseDelay=&maxDelay= (ms)
// shorten the retry backoff for tests; ?poll=MS sets how often the stats are polled;
// ?timeout=MS bounds each attempt; ?keyFormat=sf-string sends idempotency keys in the IETF
// draft's quoted form.
const params = new URLSearchParams(location.search)
const asked = [...new Set((params.get('project') ?? '').split(','))]
const projects =
  asked.length <= 4 && asked.every((id) => /^[\w-]{1,64}$/.test(id)) ? asked : ['demo']
const num = (name: string, fallback: number) => {
  const v = Number(params.get(name))
  return params.has(name) && Number.isFinite(v) && v >= 0 ? v : fallback
}
// Identifies this tab (it survives reloads, like the tab) in the server's log. Added at send
// time by beforeSend, so it is never stored with a write.
const tabId = sessionStorage.getItem('route-editor:tab') ?? crypto.randomUUID().slice(0, 8)
sessionStorage.setItem('route-editor:tab', tabId)

const options: QueueOptions = {
  // Pending saves survive a reload or a crash; other tabs of the same documents keep their own.
  spool: localStorageSpool({ key: `route-editor:demo-user:${projects.join(',')}` }),
  onFailure: 'pause',
  retry: { baseDelay: num('baseDelay', 1000), maxDelay: num('maxDelay', 8000) },
  timeout: num('timeout', 30_000) || false,
  idempotencyFormat: params.get('keyFormat') === 'sf-string' ? 'sf-string' : 'bare',
  beforeSend(request) {
    request.headers.set('x-tab', tabId)
  },
}
const queue = createQueue(options)

// One panel per route, copied from the page's markup before any is mounted. Routes side by side
// each get a lane of the one queue: a slow or failing save in one never holds back the other,
// and each route's own requests still go one write at a time.
const first = document.querySelector<HTMLElement>('[data-testid="app"]')!
const roots = projects.map((_, i) => (i ? (first.cloneNode(true) as HTMLElement) : first))
first.after(...roots.slice(1))
document.body.dataset.routes = String(projects.length)

const routes = projects.map((project, i) => {
  const root = roots[i]!
  const lane = projects.length > 1 ? project : ''
  root.dataset.tab = tabId
  const route = mountRoute({ root, queue, project, lane, poll: num('poll', 2000) })
  bindStatus({
    root,
    queue,
    lane,
    // The rejected change is gone; unless later changes will overwrite it, show the server's state.
    onDiscard: route.refresh,
  })
  bindControls(root.querySelector<HTMLElement>('[data-testid="server-controls"]')!, project)
  bindRevisions(root, queue, route.base, tabId, lane)
  route.load().catch((error) => {
    root.querySelector('[data-testid="status-text"]')!.textContent =
      `Could not load the route: ${error}`
  })
  return route
})
Object.assign(window, { statsShown: routes[0]!.statsShown })
