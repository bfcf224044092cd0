import { CountingStorage } from '../lib/counting-storage.ts'
import type { FigureResult } from '../lib/figure.ts'
import { goal, int, num, type Table } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { tick } from '../lib/stats.ts'
import { BODY, URL_STOPS } from './overhead.ts'

type Spool = NonNullable<Parameters<Library['createQueue']>[0]>['spool']
type SpoolFactory = (options: { key: string; storage?: Storage }) => Spool

const LENGTHS = [10, 1_000, 10_000]
/** Enqueues measured at each length. */
const M = 10
const KEY = 'editor:user-1:project-1'
const never = () => new Promise<Response>(() => {})

async function oursAt(lib: Library, factory: SpoolFactory, length: number) {
  const storage = new CountingStorage()
  const queue = lib.createQueue({ transport: never, spool: factory({ key: KEY, storage }) })
  await queue.ready
  const add = () => queue.fetch(URL_STOPS, { method: 'POST', json: JSON.parse(BODY) })
  for (let i = 0; i < length; i++) add()
  await tick()
  storage.reset()
  for (let i = 0; i < M; i++) {
    add()
    await tick()
  }
  const out = { bytes: storage.written / M, writes: storage.writes / M }
  queue.dispose()
  return out
}

/**
 * What a persister that serializes the state does, e.g. redux-offline with redux-persist: after
 * each change it writes the whole `offline` slice, outbox included, under one key. Edits come
 * tens of milliseconds apart, so each one is written on its own.
 */
function rewriteAt(length: number) {
  const storage = new CountingStorage()
  const action = (i: number) => ({
    type: 'SAVE_STOPS',
    payload: JSON.parse(BODY),
    meta: {
      offline: {
        effect: {
          url: URL_STOPS,
          method: 'POST',
          body: BODY,
          headers: { 'content-type': 'application/json' },
        },
        commit: { type: 'SAVE_STOPS_COMMIT', meta: { seq: i } },
        rollback: { type: 'SAVE_STOPS_ROLLBACK', meta: { seq: i } },
      },
    },
  })
  const state = {
    busy: true,
    lastTransaction: length,
    online: true,
    outbox: Array.from({ length }, (_, i) => action(i)),
    retryCount: 0,
    retryScheduled: false,
    netInfo: { isConnectionExpensive: null, reach: 'NONE' },
  }
  for (let i = 0; i < M; i++) {
    state.outbox.push(action(length + i))
    state.lastTransaction++
    storage.setItem('reduxPersist:offline', JSON.stringify(state))
  }
  return { bytes: storage.written / M, writes: storage.writes / M }
}

/** Figure 5: bytes written to storage per enqueue as the queue grows. */
export async function spoolFigure(lib: Library): Promise<FigureResult> {
  const factory = (lib as unknown as { localStorageSpool?: SpoolFactory }).localStorageSpool
  const ours = []
  if (factory) for (const n of LENGTHS) ours.push(await oursAt(lib, factory, n))
  const theirs = LENGTHS.map(rewriteAt)
  const flatness = ours.length ? ours.at(-1)!.bytes / ours[0]!.bytes : Number.NaN
  const ok = ours.length ? flatness <= 1.1 : undefined
  const table: Table = {
    title: '5. Spool: bytes written per enqueue',
    note: `Characters written to an injected counting \`Storage\` (key + value, UTF-16 code units, the unit of the localStorage quota) per enqueue, averaged over ${M} enqueues at each queue length. Goal: flat (10,000 within 1.1× of 10).`,
    head: [
      'contender',
      ...LENGTHS.map((n) => `at ${n.toLocaleString('en-US')}`),
      'setItem calls per enqueue',
      '10,000 ÷ 10',
      'goal',
    ],
    rows: [
      factory
        ? [
            'fetch-queue `localStorageSpool`',
            ...ours.map((o) => int(o.bytes)),
            num(ours.at(-1)!.writes, 1),
            `${num(flatness)}×`,
            goal(ok),
          ]
        : [
            'fetch-queue `localStorageSpool`',
            ...LENGTHS.map(() => 'not in this build'),
            '–',
            '–',
            '–',
          ],
      [
        'whole queue rewritten per change (redux-offline + redux-persist style)',
        ...theirs.map((o) => int(o.bytes)),
        num(theirs.at(-1)!.writes, 1),
        `${num(theirs.at(-1)!.bytes / theirs[0]!.bytes)}×`,
        '',
      ],
    ],
    after:
      'Each item is a POST with a small JSON body. The rewrite baseline serializes the redux-offline state shape (the `offline` slice with its outbox of actions) once per enqueue, as redux-persist does for a changed slice when changes are tens of milliseconds apart.',
  }
  return {
    tables: [table],
    goals: [
      {
        name: 'Spool bytes per enqueue, 10 → 10,000',
        target: 'flat',
        measured: ours.length
          ? `${int(ours[0]!.bytes)} → ${int(ours.at(-1)!.bytes)}`
          : 'spool not built',
        ok,
      },
    ],
  }
}
