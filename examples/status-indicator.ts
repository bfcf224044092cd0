/**
 * Renders the save status an editor shows ("Saving…", "All changes saved", "Offline — 3 changes
 * pending") from the queue's snapshot. Run it with `npx tsx examples/status-indicator.ts`.
 *
 * The network is simulated through the queue's seams (transport and online source), so this runs
 * anywhere; in a browser you would pass neither and get fetch and navigator.onLine.
 */
import { createQueue, type OnlineSource, type QueueSnapshot } from 'fetch-queue'

export function statusText(snapshot: QueueSnapshot, now = Date.now()): string {
  const writes = snapshot.items.filter((item) => item.kind === 'write').length
  const changes = `${writes} change${writes === 1 ? '' : 's'} pending`
  const failed = snapshot.items.find((item) => item.state === 'failed')
  if (failed) return `Could not save: ${failed.error?.message ?? 'unknown error'}`
  if (!snapshot.online) return writes ? `Offline — ${changes}` : 'Offline'
  switch (snapshot.status) {
    case 'idle':
      return 'All changes saved'
    case 'busy':
      return 'Saving…'
    case 'paused':
      return `Paused — ${changes}`
    case 'waiting': {
      const next = Math.min(
        ...snapshot.items.map((item) => item.nextAttemptAt ?? Number.POSITIVE_INFINITY),
      )
      return Number.isFinite(next)
        ? `Retrying in ${Math.max(1, Math.ceil((next - now) / 1000))}s — ${changes}`
        : `Waiting — ${changes}`
    }
  }
}

// A switchable connection, standing in for navigator.onLine and the online/offline events.
let online = false
const listeners = new Set<(online: boolean) => void>()
const connection: OnlineSource = {
  isOnline: () => online,
  subscribe(onChange) {
    listeners.add(onChange)
    return () => listeners.delete(onChange)
  },
}
const setOnline = (value: boolean) => {
  online = value
  for (const listener of listeners) listener(value)
}

const queue = createQueue({
  online: connection,
  transport: async () => {
    await new Promise((r) => setTimeout(r, 10))
    return new Response('{}', { status: 200 })
  },
})

const shown: string[] = []
const render = () => {
  const text = statusText(queue.getSnapshot())
  if (shown.at(-1) !== text) shown.push(text)
}
queue.subscribe(render)
render()

for (const stop of [1, 2, 3]) {
  queue.fetch(`https://api.example.com/projects/1/stops/${stop}`, { method: 'PUT', json: { stop } })
}
await Promise.resolve()
setOnline(true)
await queue.whenIdle()
await Promise.resolve()
console.log(shown.join('\n'))
// Offline
// Offline — 3 changes pending
// Saving…
// All changes saved
queue.dispose()
