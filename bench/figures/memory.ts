import { MutationObserver, QueryClient } from '@tanstack/query-core'
import PQueue from 'p-queue'
import type { FigureResult } from '../lib/figure.ts'
import { goal, int, type Table, withSpread } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { collect, hasGc, summarize, tick } from '../lib/stats.ts'
import { BODY, URL_STOPS } from './overhead.ts'

const N = 100_000
/** Never answers: the first item stays on the wire, the others wait behind it. */
const never = (_request: unknown) => new Promise<Response>(() => {})
const REQUEST = { url: URL_STOPS, method: 'POST', headers: new Headers(), body: BODY }
const INIT = { method: 'POST', body: BODY }

interface Holder {
  name: string
  /** Enqueues n items and returns the cleanup. */
  fill(n: number): () => void
}

function holders(lib: Library): Holder[] {
  return [
    {
      name: 'fetch-queue',
      fill(n) {
        const queue = lib.createQueue({ transport: never })
        for (let i = 0; i < n; i++) queue.fetch(URL_STOPS, INIT)
        return () => queue.dispose()
      },
    },
    {
      name: 'p-queue 9.3.5',
      fill(n) {
        const queue = new PQueue({ concurrency: 1 })
        for (let i = 0; i < n; i++) queue.add(() => never(REQUEST)).catch(() => {})
        return () => queue.clear()
      },
    },
    {
      name: '@tanstack/query-core 5.108',
      fill(n) {
        const client = new QueryClient()
        const observer = new MutationObserver(client, {
          mutationFn: (request: typeof REQUEST) => never(request),
          scope: { id: 'stops' },
        })
        for (let i = 0; i < n; i++) observer.mutate(REQUEST).catch(() => {})
        return () => {
          observer.reset()
          client.clear()
        }
      },
    },
  ]
}

/** Figure 3: retained heap per pending item. */
export async function memoryFigure(lib: Library, runs: number): Promise<FigureResult> {
  if (!hasGc()) throw new Error('run node with --expose-gc')
  const list = holders(lib)
  const samples = new Map<string, number[]>(list.map((h) => [h.name, []]))
  const once = async (h: Holder) => {
    await tick()
    collect()
    const before = process.memoryUsage().heapUsed
    const cleanup = h.fill(N)
    await tick()
    collect()
    const after = process.memoryUsage().heapUsed
    cleanup()
    await tick()
    return (after - before) / N
  }
  // Retained heap barely varies between runs (see the spread), so five runs are enough.
  for (let r = 0; r < Math.min(runs, 5); r++)
    for (const h of list) samples.get(h.name)!.push(await once(h))
  const stats = new Map([...samples].map(([k, v]) => [k, summarize(v)]))
  const ours = stats.get('fetch-queue')!
  const table: Table = {
    title: '3. Memory: heap per pending item',
    note: `Bytes of heap retained per item with ${N.toLocaleString('en-US')} writes pending (the transport never answers), median of ${Math.min(runs, 5)} runs. The body is one shared string, so it is not counted. Goal: ≤ 1 KiB (1,024 bytes).`,
    head: ['contender', 'bytes per pending item', 'goal'],
    rows: list.map((h) => [
      h.name,
      withSpread(stats.get(h.name)!, 0),
      h.name === 'fetch-queue' ? goal(ours.median <= 1024) : '',
    ]),
    after:
      '`heapUsed` after two full GCs, before and after enqueueing, divided by the number of items. The callers drop the returned promises (fire and forget); each library keeps what it needs to settle them.',
  }
  const b = (name: string) => `${int(stats.get(name)!.median)} B`
  return {
    tables: [table],
    summary: [
      {
        metric: 'Heap per pending write',
        values: {
          'fetch-queue': b('fetch-queue'),
          'p-queue': b('p-queue 9.3.5'),
          'query-core': b('@tanstack/query-core 5.108'),
        },
      },
    ],
    goals: [
      {
        name: 'Memory per pending item',
        target: '≤ 1,024 B',
        measured: `${int(ours.median)} B`,
        ok: ours.median <= 1024,
      },
    ],
  }
}
