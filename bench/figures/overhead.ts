import { MutationObserver, QueryClient } from '@tanstack/query-core'
import PQueue from 'p-queue'
import type { FigureResult } from '../lib/figure.ts'
import { goal, num, ratio, type Table, withSpread } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { CLOCK, measure, stopwatch, type Timed } from '../lib/run.ts'
import { type Sample, summarize } from '../lib/stats.ts'

export const URL_STOPS = 'https://api.example.com/projects/1/stops'
export const BODY = JSON.stringify({ stops: [{ id: 1, lat: 48.85, lng: 2.35 }] })

/** A transport that answers at once. One bodiless Response serves every call of every contender. */
const OK = new Response(null, { status: 200 })
export const transport = (_request: unknown) => Promise.resolve(OK)

/** The plain request object the peers hand to the transport. */
const REQUEST = {
  url: URL_STOPS,
  method: 'POST',
  headers: new Headers({ 'content-type': 'application/json' }),
  body: BODY,
}

/** The plain `headers` object a p-queue user passes with a JSON body. */
const JSON_HEADERS = { 'content-type': 'application/json' }

const SIZES = [1_000, 10_000, 100_000]
export const QUERY_CORE_MAX = 10_000

/** The three request shapes users write (DESIGN §3), each a fresh init per call as apps make them. */
export const SHAPES = {
  'fetch-queue': () => ({ method: 'POST', body: BODY }),
  'fetch-queue + headers': () => ({
    method: 'POST',
    body: BODY,
    headers: { 'content-type': 'application/json', 'x-client': 'editor' },
  }),
  'fetch-queue json': () => ({
    method: 'POST',
    json: { stops: [{ id: 1, lat: 48.85, lng: 2.35 }] },
  }),
} as const

/** fetch-queue sending `n` serialized writes of one shape. */
export const queueRun = (lib: Library, init: () => object) => async (n: number) => {
  const queue = lib.createQueue({ transport })
  const all = new Array<Promise<Response>>(n)
  const stop = stopwatch()
  for (let i = 0; i < n; i++) all[i] = queue.fetch(URL_STOPS, init())
  await Promise.all(all)
  const elapsed = stop()
  queue.dispose()
  return elapsed
}

export function timedContenders(lib: Library): Timed[] {
  return [
    ...Object.entries(SHAPES).map(([name, init]) => ({ name, run: queueRun(lib, init) })),
    {
      name: 'p-queue',
      async run(n) {
        const queue = new PQueue({ concurrency: 1 })
        const all = new Array<Promise<Response>>(n)
        const stop = stopwatch()
        for (let i = 0; i < n; i++) all[i] = queue.add(() => transport(REQUEST))
        await Promise.all(all)
        return stop()
      },
    },
    {
      // The `json:` shape's baseline: p-queue making the same call, so the app serializes a fresh
      // object per call, as a p-queue user writes it.
      name: 'p-queue json',
      async run(n) {
        const queue = new PQueue({ concurrency: 1 })
        const all = new Array<Promise<Response>>(n)
        const make = SHAPES['fetch-queue json']
        const stop = stopwatch()
        for (let i = 0; i < n; i++) {
          const body = JSON.stringify(make().json)
          all[i] = queue.add(() =>
            transport({ url: URL_STOPS, method: 'POST', headers: JSON_HEADERS, body }),
          )
        }
        await Promise.all(all)
        return stop()
      },
    },
    {
      name: 'query-core',
      max: QUERY_CORE_MAX,
      async run(n) {
        const client = new QueryClient()
        const observer = new MutationObserver(client, {
          mutationFn: (request: typeof REQUEST) => transport(request),
          scope: { id: 'stops' },
        })
        const all = new Array<Promise<Response>>(n)
        const stop = stopwatch()
        for (let i = 0; i < n; i++) all[i] = observer.mutate(REQUEST)
        await Promise.all(all)
        const elapsed = stop()
        observer.reset()
        client.clear()
        return elapsed
      },
    },
    {
      name: 'promise chain',
      async run(n) {
        const all = new Array<Promise<Response>>(n)
        let chain: Promise<unknown> = Promise.resolve()
        const next = () => transport(REQUEST)
        const stop = stopwatch()
        for (let i = 0; i < n; i++) all[i] = (chain = chain.then(next)) as Promise<Response>
        await Promise.all(all)
        return stop()
      },
    },
  ]
}

const LABEL: Record<string, string> = {
  'fetch-queue': 'fetch-queue, string body',
  'fetch-queue + headers': 'fetch-queue, string body + headers object',
  'fetch-queue json': 'fetch-queue, `json:`',
  'p-queue': 'p-queue 9.3.5 (concurrency 1)',
  'p-queue json': 'p-queue 9.3.5, app serializes `json` per call',
  'query-core': '@tanstack/query-core 5.108 (scoped mutations)',
  'promise chain': 'bare promise chain (lower bound)',
}

/**
 * The p-queue row each shape's goal compares with: p-queue making the same call (DESIGN §3). A
 * string body, with or without headers, goes out as the pre-built request; a `json:` object has to
 * be serialized per call, by the app when it uses p-queue.
 */
const BASELINE: Record<keyof typeof SHAPES, string> = {
  'fetch-queue': 'p-queue',
  'fetch-queue + headers': 'p-queue',
  'fetch-queue json': 'p-queue json',
}

/** Figures 1 and 2: queue overhead and how it scales. */
export async function overheadFigures(lib: Library, runs: number): Promise<FigureResult> {
  const contenders = timedContenders(lib)
  const results = new Map<number, Map<string, Sample>>()
  // The clock not reported in table 1, shown in table 1b.
  const others = new Map<number, Map<string, Sample>>()
  // Every contender's code paths reach the optimizing compiler before anything is recorded.
  await measure(contenders, 10_000, 1, 50_000)
  for (const n of SIZES) {
    const raw = await measure(contenders, n, runs)
    results.set(n, new Map([...raw[CLOCK]].map(([k, v]) => [k, summarize(v)])))
    const other = raw[CLOCK === 'cpu' ? 'wall' : 'cpu']
    others.set(n, new Map([...other].map(([k, v]) => [k, summarize(v)])))
    process.stdout.write(`  overhead: ${n.toLocaleString('en-US')} items done\n`)
  }
  const at = (n: number, name: string) => results.get(n)?.get(name)
  const head = ['contender']
  for (const n of SIZES) head.push(`${n.toLocaleString('en-US')}: µs/item`, '÷ p-queue')
  head.push('goal')
  const big = SIZES.at(-1)!
  const peer = at(big, 'p-queue')!
  const otherPeer = others.get(big)!.get('p-queue')!.median
  /**
   * Each shape against p-queue making the same call at the largest size, on both clocks; the goal
   * is ≤ 0.9× on both. `prebuilt`: against the pre-built request, also shown where that is not the
   * baseline.
   */
  const shapes = (Object.keys(SHAPES) as (keyof typeof SHAPES)[]).map((name) => {
    const base = BASELINE[name]
    const base1 = at(big, base)!.median
    const r = at(big, name)!.median / base1
    const other = others.get(big)!.get(name)!.median / others.get(big)!.get(base)!.median
    const prebuilt = [
      at(big, name)!.median / peer.median,
      others.get(big)!.get(name)!.median / otherPeer,
    ]
    return { name, base, base1, r, other, prebuilt, ok: r <= 0.9 && other <= 0.9 }
  })
  const otherClock = CLOCK === 'cpu' ? 'wall clock' : 'CPU'
  const fig1: Table = {
    title: '1. Queue overhead: serialized writes, transport answers at once',
    note: `${CLOCK === 'cpu' ? 'CPU' : 'Wall-clock'} µs per item, median of ${runs} runs ± half their range. Goal: each of the three request shapes at most 0.9× p-queue making the same call, per item at ${big.toLocaleString('en-US')} items, on both clocks (see 1b).`,
    head,
    rows: contenders.map((c) => {
      const row = [LABEL[c.name] ?? c.name]
      for (const n of SIZES) {
        const s = at(n, c.name)
        const p = at(n, 'p-queue')
        row.push(s ? withSpread(s) : 'not run', s && p ? ratio(s.median / p.median) : '–')
      }
      const shape = shapes.find((x) => x.name === c.name)
      row.push(shape ? goal(shape.ok) : '')
      return row
    }),
    after: [
      "Every contender enqueues `n` POSTs at once and awaits all their promises; the transport resolves a pre-built bodiless `Response`, the same one for every call. fetch-queue gets `queue.fetch(url, init)` with a fresh init per call in each of three shapes (`{ method: 'POST', body }`; the same with a plain `headers` object of two entries; `{ method: 'POST', json }`) and builds its own request (URL resolution, `Headers`, idempotency key, timeout watchdog, all with default options); the peers hand the same plain request object to the same transport. The ÷ p-queue columns compare every row with that p-queue row, and so do the goals of the two string-body shapes. The `json:` shape is a call p-queue cannot make with a pre-built body: its user calls `JSON.stringify` on a fresh object per call, as the queue does for `json:`. That is the row \"p-queue 9.3.5, app serializes `json` per call\", the `json:` goal's baseline (DESIGN §3: \"p-queue making the same calls\"); the goals table also gives the `json:` shape against the pre-built row. A run repeats the batch until 10,000 items have gone through (10 batches at 1,000), after a warm-up; a full GC precedes every run, and the contenders take turns within each round.",
      CLOCK === 'cpu'
        ? "The figure is CPU time of the process (user + system, `process.cpuUsage()`), which includes the garbage collector's background threads; it stays meaningful when other work shares the machine, where wall-clock time does not. The wall-clock medians of the same runs are in the table below."
        : 'The figure is wall-clock time (`BENCH_CLOCK=wall`).',
      `@tanstack/query-core gets one \`MutationObserver\` with \`scope: { id }\` and \`mutate()\` per item, as \`useMutation\` does; it runs at most ${QUERY_CORE_MAX.toLocaleString('en-US')} items: its scoped mutations get slower per item as the scope grows (see figure 2), so 100,000 would take minutes per run.`,
    ].join('\n\n'),
  }
  const fig1b: Table = {
    title: `1b. The same runs, ${CLOCK === 'cpu' ? 'wall-clock' : 'CPU'} µs per item (medians)`,
    head: [
      'contender',
      ...SIZES.map((n) => n.toLocaleString('en-US')),
      `${big.toLocaleString('en-US')} ÷ p-queue`,
    ],
    rows: contenders.map((c) => {
      const w = (n: number) => others.get(n)?.get(c.name)
      const p = others.get(big)?.get('p-queue')
      const last = w(big)
      return [
        LABEL[c.name] ?? c.name,
        ...SIZES.map((n) => (w(n) ? num(w(n)!.median) : 'not run')),
        last && p ? ratio(last.median / p.median) : '–',
      ]
    }),
  }
  const rows2 = contenders.map((c) => {
    const first = at(SIZES[0]!, c.name)!
    const lastSize = [...SIZES].reverse().find((n) => at(n, c.name))!
    const last = at(lastSize, c.name)!
    const r = last.median / first.median
    return {
      name: c.name,
      r,
      cells: [
        LABEL[c.name] ?? c.name,
        ...SIZES.map((n) => (at(n, c.name) ? num(at(n, c.name)!.median) : 'not run')),
        `${ratio(r)}${lastSize !== big ? ` (${lastSize.toLocaleString('en-US')} ÷ 1,000)` : ''}`,
        c.name === 'fetch-queue' ? goal(r <= 1.3) : '',
      ],
    }
  })
  const oursScale = rows2.find((r) => r.name === 'fetch-queue')!.r
  const fig2: Table = {
    title: '2. Scaling: µs per item as the queue grows',
    note: 'Median µs per item from figure 1. Goal: fetch-queue at 100,000 items within 1.3× of 1,000.',
    head: ['contender', ...SIZES.map((n) => n.toLocaleString('en-US')), '100,000 ÷ 1,000', 'goal'],
    rows: rows2.map((r) => r.cells),
  }
  const us = (name: string) => {
    const n = [...SIZES].reverse().find((size) => at(size, name))!
    const other = others.get(n)!.get(name)!.median
    return `${num(at(n, name)!.median)} µs, ${CLOCK === 'cpu' ? 'wall' : 'CPU'} ${num(other)} µs${n !== big ? ` (at ${n.toLocaleString('en-US')})` : ''}`
  }
  const growth = (name: string) => rows2.find((r) => r.name === name)!.cells[SIZES.length + 1]!
  const peers = ['fetch-queue', 'p-queue', 'query-core']
  return {
    tables: [fig1, fig1b, fig2],
    summary: [
      {
        metric: `Queue overhead per write, 100,000 queued (${CLOCK === 'cpu' ? 'CPU' : 'wall clock'} time)`,
        values: Object.fromEntries(peers.map((p) => [p, us(p)])),
      },
      {
        metric: 'Growth of that cost, 1,000 → 100,000 items',
        values: Object.fromEntries(peers.map((p) => [p, growth(p)])),
      },
    ],
    goals: [
      ...shapes.map((x) => ({
        name: `Overhead per item (100,000 writes), ${LABEL[x.name]!.replace('fetch-queue, ', '')}`,
        target: `≤ 0.9× ${x.base === 'p-queue' ? 'p-queue' : 'p-queue serializing per call'}`,
        measured: `${num(at(big, x.name)!.median)} µs vs ${num(x.base1)} µs (${ratio(x.r)}); ${otherClock} ${ratio(x.other)}${x.base === 'p-queue' ? '' : `; against the pre-built p-queue row ${ratio(x.prebuilt[0]!)}, ${otherClock} ${ratio(x.prebuilt[1]!)}`}`,
        ok: x.ok,
      })),
      {
        name: 'Scaling 100,000 ÷ 1,000',
        target: '≤ 1.3×',
        measured: ratio(oursScale),
        ok: oursScale <= 1.3,
      },
    ],
  }
}
