/**
 * The app code under test: a save button's status line, over a queue the app creates. The
 * queue's seams (`transport`, `online`, `clock`, `spool`) are parameters, so a test passes
 * `fetch-queue/testing`'s stand-ins and patches no global.
 */
import { createQueue, type QueueOptions } from 'fetch-queue'

export function createEditor(options: QueueOptions = {}) {
  const queue = createQueue(options)
  return {
    queue,
    save: (stops: string[]) =>
      queue.fetch('https://api.example/route/stops', {
        method: 'PUT',
        json: { stops },
        dedupe: true,
      }),
    status(): string {
      const { status, pending, online, items } = queue.getSnapshot()
      if (status === 'idle') return 'All changes saved'
      if (!online) return `Offline — ${pending} change${pending === 1 ? '' : 's'} pending`
      const next = items.find((i) => i.nextAttemptAt !== undefined)?.nextAttemptAt
      if (next !== undefined) return `Retrying in ${Math.ceil((next - Date.now()) / 1000)}s`
      return 'Saving…'
    },
  }
}
