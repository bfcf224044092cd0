/**
 * SWR reads, fetch-queue writes: `useSWRMutation` sends the save through the queue, and the
 * queue's `sent` event revalidates the keys the write changed. The keys travel in the write's
 * `meta`, which the spool stores, so this holds for writes restored after a reload too (see
 * examples/tanstack-query.ts for the reload). React DOM renders into a happy-dom document.
 * Run it with `npx tsx examples/swr.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { createQueue } from 'fetch-queue'
import { Window } from 'happy-dom'
import { act, createElement as h } from 'react'
import { createRoot } from 'react-dom/client'
import useSWR, { mutate } from 'swr'
import useSWRMutation from 'swr/mutation'
import { type RouteStats, SEED_STOPS, type Stop } from './server/route.ts'
import { startServer } from './server/server.ts'

const server = await startServer()
const api = `${server.url}/projects/swr`
const queue = createQueue()

// A write names the SWR keys it makes stale in its `meta`, which is stored with it: whichever page
// sends it, the keys are revalidated once it is delivered.
queue.on('sent', ({ item }) => {
  const keys = (item.meta as { revalidates?: string[] } | undefined)?.revalidates ?? []
  for (const key of keys) void mutate(key)
})

const fetcher = (url: string) => queue.fetch(url, { dedupe: true }).then((r) => r.json())

async function save(url: string, { arg }: { arg: { stops: Stop[]; rev: number } }) {
  const res = await queue.fetch(url, {
    method: 'POST',
    json: arg,
    dedupe: true,
    meta: { revalidates: [`${api}/stats`] },
  })
  return (await res.json()) as { rev: number }
}

let trigger!: (arg: { stops: Stop[]; rev: number }) => Promise<{ rev: number }>

function Stats() {
  const { data } = useSWR<RouteStats>(`${api}/stats`, fetcher)
  // revalidate: false: the queue's `sent` does it, for restored writes too.
  const saving = useSWRMutation(`${api}/stops`, save, { revalidate: false })
  trigger = saving.trigger
  return h(
    'p',
    { id: 'stats' },
    data ? `${data.stopCount} stops, rev ${data.rev}` : 'loading',
    saving.isMutating ? ' (saving…)' : '',
  )
}

// What a browser page has and Node lacks: a window and a document for React DOM and SWR.
const window = new Window({ url: server.url })
Object.assign(globalThis, { window, document: window.document, IS_REACT_ACT_ENVIRONMENT: true })
const container = window.document.createElement('div') as unknown as HTMLElement
const root = createRoot(container)
const text = () => container.textContent

/** Renders, then waits for the queue and for React to settle. */
async function settle() {
  await act(async () => {
    await queue.whenIdle()
    await new Promise((r) => setImmediate(r))
  })
}

await act(async () => {
  root.render(h(Stats))
})
await settle()
console.log(`rendered: ${text()}`)
assert.equal(text(), '5 stops, rev 0')

await act(async () => {
  await trigger({ stops: SEED_STOPS.slice(0, 3), rev: 1 })
})
await settle()
console.log(`after the save: ${text()}`)
assert.equal(text(), '3 stops, rev 1')

assert.deepEqual(
  server.control.record('swr').log.map((e) => `${e.method} ${e.path.split('/').pop()}`),
  ['GET stats', 'POST stops', 'GET stats'],
)
console.log('server saw: GET stats, POST stops, GET stats (the revalidation after `sent`)')

await act(async () => root.unmount())
queue.dispose()
await window.happyDOM.close()
await server.close()
