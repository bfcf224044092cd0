/**
 * TanStack Query owns the cache, fetch-queue owns the order: mutations go through the queue, and
 * the queue's `sent` event invalidates the queries a write changed, including for writes restored
 * after a reload, whose mutation observers died with the old page.
 * Run it with `npx tsx examples/tanstack-query.ts` (after `npm run build`).
 */
import assert from 'node:assert/strict'
import { MutationObserver, QueryClient, QueryObserver } from '@tanstack/query-core'
import { createQueue, type FetchQueue, type JsonValue, memorySpool } from 'fetch-queue'
import { type RouteStats, SEED_STOPS, type Stop } from './server/route.ts'
import { startServer } from './server/server.ts'

const server = await startServer()
const api = `${server.url}/projects/tanstack`
const spool = memorySpool() // in a browser: localStorageSpool({ key: `editor:${userId}:${projectId}` })
const statsKey = ['stats', 'tanstack']

/** One page of the app: a queue, a QueryClient, and the wiring between them. */
function openPage(name: string, cached?: RouteStats) {
  const queue = createQueue({ spool, retry: { baseDelay: 50, maxDelay: 200 } })
  const client = new QueryClient()
  // As a persisted query cache would: the stats the last page showed, fresh until invalidated.
  if (cached) client.setQueryData(statsKey, cached)
  let refreshed = Promise.resolve()
  // Whatever sent the write, this page or the one before a reload, the queries it changed are stale.
  queue.on('sent', ({ item }) => {
    const stale = (item.meta as { invalidates?: JsonValue[] } | undefined)?.invalidates
    if (stale) refreshed = client.invalidateQueries({ queryKey: stale })
  })
  const stats = new QueryObserver(client, {
    queryKey: statsKey,
    // Reads go through the queue too, so a stats read never overlaps a save.
    queryFn: () => queue.fetch(`${api}/stats`, { dedupe: true }).then((r) => r.json()),
    staleTime: Number.POSITIVE_INFINITY,
  })
  const shown: RouteStats[] = []
  stats.subscribe(({ data }) => {
    if (data && data !== shown.at(-1)) shown.push(data as RouteStats)
  })
  console.log(`${name}: opened`)
  /** Resolves once every write has gone out and the queries it invalidated were fetched again. */
  const settled = () => queue.whenIdle().then(() => refreshed)
  return { queue, client, stats, shown, settled }
}

function saveStops(queue: FetchQueue, client: QueryClient) {
  return new MutationObserver(client, {
    mutationFn: (body: { stops: Stop[]; rev: number }) =>
      queue
        .fetch(`${api}/stops`, {
          method: 'POST',
          json: body,
          dedupe: true,
          // The write's own record of what it makes stale: it survives a reload with the write.
          meta: { invalidates: statsKey },
        })
        .then((r) => r.json()),
    // The queue retries at its place in line, with the same Idempotency-Key, and holds the write
    // while offline: TanStack Query must neither retry on its own nor pause it.
    retry: 0,
    networkMode: 'always',
  })
}

// ---- page 1: a save, then one while the server is down ---------------------------------------

const page1 = openPage('page 1')
const first = await page1.stats.refetch()
console.log(`  stats: ${first.data?.stopCount} stops`)
await saveStops(page1.queue, page1.client).mutate({ stops: SEED_STOPS.slice(0, 3), rev: 1 })
await page1.settled()
console.log(`  saved 3 stops → stats now ${page1.shown.at(-1)?.stopCount} stops`)

server.control.set({ down: true })
const lost = saveStops(page1.queue, page1.client)
  .mutate({ stops: SEED_STOPS.slice(0, 2), rev: 2 })
  .catch((e: Error) => e.name)
await new Promise((r) => page1.queue.on('retrying', r))
console.log(`  server down; save of 2 stops pending: ${page1.queue.getSnapshot().pending}`)

// ---- the page reloads ---------------------------------------------------------------------------

page1.queue.dispose()
page1.client.clear()
console.log(`  the page reloads; its mutation ends with ${await lost}`)
server.control.set({ down: false })

// ---- page 2: the stored write goes out first, and its `sent` invalidates the stats -------------

const page2 = openPage('page 2', page1.shown.at(-1))
console.log(
  `  stats from the cache: ${(page2.stats.getCurrentResult().data as RouteStats).stopCount} stops`,
)
const restored = new Promise<number>((resolve) =>
  page2.queue.on('restored', ({ items }) => resolve(items.length)),
)
console.log(`  restored ${await restored} write(s)`)
await page2.settled()
const final = page2.stats.getCurrentResult().data as RouteStats
console.log(`  stats shown: ${final.stopCount} stops (rev ${final.rev})`)

const record = server.control.record('tanstack')
assert.deepEqual(
  record.applied.map((a) => a.rev),
  [1, 2],
)
assert.equal(final.stopCount, 2)
assert.equal(final.rev, 2)
console.log(`server applied revisions ${record.applied.map((a) => a.rev).join(', ')}, once each`)

page2.queue.dispose()
await server.close()
