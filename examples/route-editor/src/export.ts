import type { FetchQueue, ItemInfo } from './fetch-queue.ts'

/**
 * The "Export timetable" panel. The export is a POST the server answers `202 Accepted` with a
 * status URL; the queue follows the job (fetch-queue/jobs) until the timetable is ready. The job
 * survives a reload: the next page shows it running and gets its result by event, and the POST is
 * never sent twice (its idempotency key is the job's id).
 */
export function bindExport(container: HTMLElement, queue: FetchQueue, base: string, lane: string) {
  // This route's export: in the route's lane, so it goes out behind the edits made before it.
  const isExport = (item: ItemInfo) =>
    item.lane === lane && (item.meta as { export?: boolean } | undefined)?.export === true
  const panel = document.createElement('section')
  panel.className = 'export'
  panel.dataset.testid = 'export-panel'
  panel.innerHTML = `
    <div class="export-head">
      <h2>Timetable</h2>
      <button type="button" data-testid="export">Export timetable</button>
    </div>
    <p class="export-status" data-testid="export-status" data-state="idle" role="status" aria-live="polite"></p>`
  container.append(panel)
  const button = panel.querySelector<HTMLButtonElement>('[data-testid="export"]')!
  const status = panel.querySelector<HTMLElement>('[data-testid="export-status"]')!
  let ticker: ReturnType<typeof setInterval> | undefined
  let link: string | undefined

  const say = (state: string, text: string) => {
    status.dataset.state = state
    status.textContent = text
  }

  /** What the panel says while an export is pending; the outcome comes by event. */
  const render = () => {
    const job = queue.getSnapshot().items.find(isExport)
    button.disabled = !!job && job.state !== 'failed'
    if (!job || job.state === 'failed') {
      clearInterval(ticker)
      ticker = undefined
      return
    }
    if (job.state === 'accepted') {
      const seconds = Math.floor((Date.now() - job.enqueuedAt) / 1000)
      say('running', `Exporting… ${seconds} s`)
    } else say('starting', 'Starting the export…')
    // The seconds count needs a clock tick; run one only while an export is pending.
    ticker ??= setInterval(render, 250)
  }

  button.addEventListener('click', () => {
    queue
      .fetch(`${base}/exports`, {
        method: 'POST',
        json: { format: 'csv' },
        meta: { export: true },
        lane,
      })
      // The outcome is shown from the events below, which a page after a reload gets too.
      .catch(() => {})
    render()
  })

  queue.on('sent', async ({ item, response }) => {
    if (!isExport(item)) return
    const blob = await response.blob()
    if (link) URL.revokeObjectURL(link)
    link = URL.createObjectURL(blob)
    status.dataset.state = 'ready'
    status.innerHTML = ''
    const a = document.createElement('a')
    a.href = link
    a.download = 'timetable.csv'
    a.textContent = 'Download timetable.csv'
    a.dataset.testid = 'export-link'
    a.dataset.bytes = String(blob.size)
    a.dataset.url = response.url
    status.append('Timetable ready: ', a)
  })
  queue.on('failed', ({ item, error }) => {
    if (isExport(item)) say('failed', `Export failed: ${error.message}`)
  })
  queue.subscribe(render)
  render()
}
