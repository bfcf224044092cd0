import type { FetchQueue, ItemInfo, QueueSnapshot } from './fetch-queue.ts'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What the status bar says for one lane of a snapshot. Exported for reuse; pure apart from `now`. */
export function describe(
  snapshot: QueueSnapshot,
  now: number,
  lane = '',
): { text: string; tone: string } {
  const writes = snapshot.items.filter((i) => i.kind === 'write' && i.lane === lane)
  const failed = writes.find((i) => i.state === 'failed')
  if (!snapshot.online) {
    return writes.length
      ? { text: `Offline — ${plural(writes.length, 'change', 'changes')} pending`, tone: 'offline' }
      : { text: 'Offline — all changes saved', tone: 'offline' }
  }
  if (failed) return { text: 'Saving stopped — a change was rejected', tone: 'failed' }
  if (!writes.length) return { text: 'All changes saved', tone: 'saved' }
  const retrying = writes.find((i) => i.state === 'retrying' && i.nextAttemptAt !== undefined)
  if (retrying && !writes.some((i) => i.state === 'sending')) {
    const seconds = Math.max(1, Math.ceil((retrying.nextAttemptAt! - now) / 1000))
    return { text: `Retrying in ${seconds}s`, tone: 'retrying' }
  }
  return { text: 'Saving…', tone: 'saving' }
}

const describeError = (item: ItemInfo) => {
  const error = item.error as (Error & { response?: Response }) | undefined
  if (error?.response)
    return `the server answered ${error.response.status} ${error.response.statusText}`.trim()
  return error?.message ?? 'unknown error'
}

export interface StatusOptions {
  root: HTMLElement
  queue: FetchQueue
  /** The lane whose writes the bar reports. Default `''`, the queue's default lane. */
  lane?: string
  /** Called after the user discarded a change, so the page can reload the server's state. */
  onDiscard(): void
}

/**
 * Status bar, failed-change banner and the unsaved-changes guard of one lane, all driven by the
 * snapshot.
 */
export function bindStatus({ root, queue, lane = '', onDiscard }: StatusOptions) {
  const bar = root.querySelector<HTMLElement>('[data-testid="status"]')!
  const text = root.querySelector<HTMLElement>('[data-testid="status-text"]')!
  const banner = root.querySelector<HTMLElement>('[data-testid="failed-banner"]')!
  const bannerText = root.querySelector<HTMLElement>('[data-testid="banner-text"]')!
  let ticker: ReturnType<typeof setInterval> | undefined
  let failedId: string | undefined

  const render = () => {
    const snapshot = queue.getSnapshot()
    const { text: message, tone } = describe(snapshot, Date.now(), lane)
    const writes = snapshot.items.filter((i) => i.kind === 'write' && i.lane === lane)
    text.textContent = message
    bar.dataset.status = tone
    bar.dataset.pending = String(writes.length)

    const failed = writes.find((i) => i.state === 'failed')
    failedId = failed?.id
    banner.hidden = !failed
    if (failed) {
      const rev = (failed.meta as { rev?: number } | undefined)?.rev
      bannerText.textContent = `Edit ${rev ?? ''} could not be saved: ${describeError(failed)}.`
    }
    // The "Retrying in Ns" countdown needs a clock tick; run one only while it is shown.
    if (tone === 'retrying' && !ticker) ticker = setInterval(render, 250)
    if (tone !== 'retrying' && ticker) {
      clearInterval(ticker)
      ticker = undefined
    }
  }

  banner.querySelector('[data-testid="banner-retry"]')!.addEventListener('click', () => {
    if (failedId) queue.retry(failedId)
  })
  banner.querySelector('[data-testid="banner-discard"]')!.addEventListener('click', () => {
    if (failedId && queue.discard(failedId)) onDiscard()
  })
  window.addEventListener('beforeunload', (e) => {
    if (queue.getSnapshot().items.some((i) => i.kind === 'write' && i.lane === lane)) {
      e.preventDefault()
      e.returnValue = '' // older Chromium needs returnValue set to show the prompt
    }
  })
  queue.subscribe(render)
  render()
}
