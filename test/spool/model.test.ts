/**
 * Model-based test of the spool with the queue: random sequences of enqueues, server answers,
 * lost responses, connectivity changes, reloads, crashes and extra tabs, over one storage and one
 * lock manager. After the run settles, every write the app made was applied exactly once (the
 * server applies by Idempotency-Key), each tab's writes in the order it made them within each
 * lane (writes go to random lanes), and nothing is left in storage.
 *
 * The server is ordered: a request on the wire when its page dies either reached the server
 * before that or never does. (A server that applies such a request later, after newer writes of
 * the next page, can see a superseded save land last; no client can prevent that.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Transport } from '../../src/index.ts'
import { type FakeClock, fakeClock } from '../support/clock.ts'
import { API } from '../support/http.ts'
import { type FakeOnline, fakeOnline } from '../support/online.ts'
import { flush } from '../support/tick.ts'
import { type FakeTab, type LockHub, lockHub } from './support/locks.ts'
import { openPage, type Page } from './support/page.ts'
import { type FakeStorage, fakeStorage } from './support/storage.ts'

interface Pending {
  /** The page that sent it. */
  page: Page | undefined
  key: string
  body: string
  resolve(r: Response): void
  reject(e: unknown): void
}

interface Tab {
  /** Writes this tab made, in order, across its reloads. */
  made: string[]
  page: Page
  locks: FakeTab
  /** The tab's sessionStorage, kept across its reloads. */
  session: FakeStorage
}

interface World {
  storage: FakeStorage
  hub: LockHub
  clock: FakeClock
  online: FakeOnline
  /** The transport of the page being opened (calls record which page sent them). */
  transport(page: () => Page | undefined): Transport
  pending: Pending[]
  /** Keys the server applied, and the bodies in the order it first applied them. */
  keys: Map<string, string>
  applied: string[]
  tabs: Tab[]
  closed: Tab[]
  superseded: Set<string>
  pages: Page[]
  n: number
}

function world(): World {
  const w: World = {
    storage: fakeStorage(),
    hub: lockHub(),
    clock: fakeClock(),
    online: fakeOnline(),
    pending: [],
    keys: new Map(),
    applied: [],
    tabs: [],
    closed: [],
    superseded: new Set(),
    pages: [],
    n: 0,
    transport: (page) => (request) =>
      new Promise((resolve, reject) => {
        w.pending.push({
          page: page(),
          key: request.headers.get('idempotency-key')!,
          body: request.body as string,
          resolve,
          reject,
        })
      }),
  }
  return w
}

function apply(w: World, p: Pending) {
  const seen = w.keys.get(p.key)
  if (seen === undefined) {
    w.keys.set(p.key, p.body)
    w.applied.push(p.body)
  } else if (seen !== p.body) throw new Error(`key ${p.key} reused for ${p.body} and ${seen}`)
}

function open(w: World, session = fakeStorage()): Omit<Tab, 'made'> {
  const locks = w.hub.tab()
  let page: Page | undefined
  page = openPage({
    storage: w.storage,
    locks,
    spool: { session },
    clock: w.clock,
    online: w.online,
    queue: {
      transport: w.transport(() => page),
      retry: { limit: Number.POSITIVE_INFINITY, baseDelay: 10, maxDelay: 100 },
      timeout: false,
    },
  })
  page.queue.on('superseded', ({ item }) => w.superseded.add(item.meta as string))
  w.pages.push(page)
  return { page, locks, session }
}

/**
 * The page dies. A request it had on the wire either reached the server before that (and is
 * applied) or never does: the server does not apply it later, after writes the next page sends.
 */
function kill(w: World, t: Tab, arrived: boolean) {
  t.locks.close()
  t.page.queue.dispose()
  for (const p of w.pending.filter((p) => p.page === t.page)) {
    w.pending.splice(w.pending.indexOf(p), 1)
    if (arrived) apply(w, p)
    p.reject(new TypeError('Failed to fetch'))
  }
}

type Model = { tabs: number }
type Cmd = fc.AsyncCommand<Model, World>

const cmd = (
  name: string,
  run: (w: World) => void | Promise<void>,
  check: (m: Model) => boolean = () => true,
  update: (m: Model) => void = () => {},
): Cmd => ({
  check,
  async run(m, w) {
    update(m)
    await run(w)
    await flush(1)
  },
  toString: () => name,
})

const LANES = ['', 'a', 'b']

const enqueue = (tab: number, dedupe: boolean, lane: string) =>
  cmd(`enqueue(${tab}${dedupe ? ', dedupe' : ''}, lane '${lane}')`, (w) => {
    const t = w.tabs[tab % w.tabs.length]!
    // The lane is part of the id, so the check below can group a tab's writes by lane.
    const id = `${lane}:${dedupe ? 'd' : 'w'}${++w.n}`
    t.made.push(id)
    t.page.queue.fetch(`${API}/${dedupe ? 'doc' : 'stops'}`, {
      method: dedupe ? 'PUT' : 'POST',
      body: id,
      meta: id,
      dedupe,
      lane,
    })
  })

const respond = (i: number, how: 'ok' | '5xx' | 'lost') =>
  cmd(`respond(${i}, ${how})`, (w) => {
    if (!w.pending.length) return
    const [p] = w.pending.splice(i % w.pending.length, 1)
    if (how === '5xx') return p!.resolve(new Response(null, { status: 503 }))
    apply(w, p!)
    if (how === 'ok') p!.resolve(new Response('ok'))
    // The server applied it, but the answer never came back.
    else p!.reject(new TypeError('Failed to fetch'))
  })

const setOnline = (online: boolean) =>
  cmd(online ? 'online' : 'offline', (w) => w.online.setOnline(online))

const tick = (ms: number) => cmd(`advance(${ms})`, (w) => w.clock.advance(ms))

/** The page goes away (reload or crash: the locks go with it) and the same tab loads again. */
const reload = (tab: number, arrived: boolean) =>
  cmd(`reload(${tab}${arrived ? ', in-flight arrived' : ''})`, async (w) => {
    const t = w.tabs[tab % w.tabs.length]!
    kill(w, t, arrived)
    await flush(1)
    Object.assign(t, open(w, t.session))
  })

const openTab = cmd(
  'openTab',
  (w) => {
    w.tabs.push({ made: [], ...open(w) })
  },
  (m) => m.tabs < 3,
  (m) => {
    m.tabs++
  },
)

const closeTab = (tab: number, arrived: boolean) =>
  cmd(
    `closeTab(${tab}${arrived ? ', in-flight arrived' : ''})`,
    (w) => {
      const [t] = w.tabs.splice(tab % w.tabs.length, 1)
      kill(w, t!, arrived)
      w.closed.push(t!)
    },
    (m) => m.tabs > 1,
    (m) => {
      m.tabs--
    },
  )

/** Back online; the server answers everything until every tab is idle. */
async function settle(w: World) {
  w.online.setOnline(true)
  for (let i = 0; i < 5000; i++) {
    await flush(1)
    if (w.pending.length) {
      for (const p of w.pending.splice(0)) {
        apply(w, p)
        p.resolve(new Response('ok'))
      }
      continue
    }
    if (w.tabs.every((t) => t.page.queue.getSnapshot().pending === 0)) return
    await w.clock.advance(100)
  }
  throw new Error('the queues did not settle')
}

// Repeated entries weigh the draw: mostly edits, answers and reloads, rarely a clock tick (a
// moving clock hides ordering bugs that only show when enqueue times tie).
const weighted = <T>(...pairs: [number, T][]) => pairs.flatMap(([n, a]) => Array<T>(n).fill(a))
const commands = weighted<fc.Arbitrary<Cmd>>(
  [
    4,
    fc
      .tuple(fc.nat(2), fc.boolean(), fc.constantFrom(...LANES))
      .map(([t, d, l]) => enqueue(t, d, l)),
  ],
  [3, fc.nat(5).map((i) => respond(i, 'ok'))],
  [1, fc.nat(5).map((i) => respond(i, '5xx'))],
  [1, fc.nat(5).map((i) => respond(i, 'lost'))],
  [1, fc.constant(setOnline(false))],
  [1, fc.constant(setOnline(true))],
  [1, fc.constantFrom(10, 100, 1000).map(tick)],
  [3, fc.tuple(fc.nat(2), fc.boolean()).map(([t, a]) => reload(t, a))],
  [1, fc.constant(openTab)],
  [1, fc.tuple(fc.nat(2), fc.boolean()).map(([t, a]) => closeTab(t, a))],
)

describe('2.7 spool model', () => {
  it('2.7 2.9 every write is applied exactly once, in the order of its tab and lane, and storage ends empty', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 60 }), async (cmds) => {
        const w = world()
        w.tabs.push({ made: [], ...open(w) })
        try {
          await fc.asyncModelRun(() => ({ model: { tabs: 1 }, real: w }), cmds)
          await settle(w)
          // Closed tabs left their writes behind: a tab opened later adopts and sends them.
          w.tabs.push({ made: [], ...open(w) })
          await settle(w)
          for (const p of w.pending) p.resolve(new Response('ok'))

          // Lanes do not wait for each other, so order holds per tab and lane.
          const lineages = [...w.tabs, ...w.closed].flatMap((t) =>
            LANES.map((l) => t.made.filter((id) => id.startsWith(`${l}:`))),
          )
          const applied = new Set(w.applied)
          // Exactly once: nothing applied twice, nothing unknown, every write that was not
          // superseded applied. A superseded write may have reached the server before it was replaced.
          expect(w.applied).toHaveLength(applied.size)
          expect(lineages.flat().filter((id) => applied.has(id))).toHaveLength(applied.size)
          for (const id of lineages.flat()) if (!w.superseded.has(id)) expect(applied).toContain(id)
          // In each tab's order.
          for (const made of lineages)
            expect(w.applied.filter((id) => made.includes(id))).toEqual(
              made.filter((id) => applied.has(id)),
            )
          expect([...w.storage.data.keys()]).toEqual([])
        } finally {
          for (const p of w.pages) p.queue.dispose()
        }
      }),
      { numRuns: 1000 },
    )
  }, 120_000)
})
