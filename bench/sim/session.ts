import type { Library } from '../lib/library.ts'
import { SimClock } from './clock.ts'
import { Network, type SessionConfig, type Stats, type WireRecord } from './network.ts'
import { XhrQueue } from './xhr-queue.ts'

/** Both calls address one resource: POST saves the stops, GET answers with their statistics. */
export const URL_ROUTE = 'https://api.example.com/projects/1/route'

interface Env {
  clock: SimClock
  net: Network
  show: (stats: Stats) => void
}

interface App {
  edit(n: number): void
  dispose?(): void
}

export interface Contender {
  name: string
  create(env: Env): App
}

const noop = () => {}
const body = (n: number) => JSON.stringify({ edit: n })
const readStats = (r: Response) => r.json() as Promise<Stats>

/** The app code as first written: save, then refresh the statistics, on every edit. */
const naive = (env: Env, n: number) => {
  env.net.fetch(URL_ROUTE, { method: 'POST', body: body(n) }).catch(noop)
  env.net.fetch(URL_ROUTE).then(readStats).then(env.show, noop)
}

export function contenders(lib: Library): Contender[] {
  return [
    { name: 'plain fetch', create: (env) => ({ edit: (n) => naive(env, n) }) },
    {
      name: '1 s debounce',
      create(env) {
        let timer: unknown
        return {
          edit(n) {
            env.clock.clearTimeout(timer)
            timer = env.clock.setTimeout(() => naive(env, n), 1000)
          },
        }
      },
    },
    {
      name: 'xhrQueue (model)',
      create(env) {
        const q = new XhrQueue(env.net.fetch)
        return {
          edit(n) {
            q.add(URL_ROUTE, { method: 'POST', body: body(n) }).catch(noop)
            q.add(URL_ROUTE).then(readStats).then(env.show, noop)
          },
        }
      },
    },
    {
      name: 'fetch-queue',
      create(env) {
        const queue = lib.createQueue({
          clock: env.clock,
          online: env.net.onlineSource,
          transport: (request, { signal }) => env.net.fetch(request.url, { ...request, signal }),
        })
        return {
          edit(n) {
            queue.fetch(URL_ROUTE, { method: 'POST', json: { edit: n }, dedupe: true }).catch(noop)
            queue.fetch(URL_ROUTE, { dedupe: true }).then(readStats).then(env.show, noop)
          },
          dispose: () => queue.dispose(),
        }
      },
    },
  ]
}

export interface SessionResult {
  name: string
  requests: WireRecord[]
  /** Requests put on the wire. */
  sent: number
  /** Reads whose time on the wire overlapped a write's. */
  overlapping: number
  /** Statistics shown that mixed two states. */
  tornShown: number
  finalCorrect: boolean
  lastEdit: number
  /** When the panel last changed to the statistics of the final state; undefined if it never did. */
  freshAt: number | undefined
  /** When the panel showed something, and what. */
  panel: { at: number; stats: Stats }[]
  firstAfterUp: number | undefined
  quietAt: number | undefined
  offlineFailures: number
}

const overlaps = (a: WireRecord, b: WireRecord) =>
  a.sentAt < (b.endAt ?? Number.POSITIVE_INFINITY) &&
  b.sentAt < (a.endAt ?? Number.POSITIVE_INFINITY)

export async function runSession(c: Contender, config: SessionConfig): Promise<SessionResult> {
  const clock = new SimClock()
  const net = new Network(clock, config)
  const panel: SessionResult['panel'] = []
  const app = c.create({ clock, net, show: (stats) => panel.push({ at: clock.now(), stats }) })
  for (let n = 0; n < config.edits; n++) clock.setTimeout(() => app.edit(n), n * config.gap)
  if (config.outage) {
    clock.setTimeout(() => net.down(), config.outage.from)
    clock.setTimeout(() => net.up(), config.outage.to)
  }
  await clock.run(600_000)
  app.dispose?.()

  const requests = net.requests
  const writes = requests.filter((r) => r.method !== 'GET')
  const reads = requests.filter((r) => r.method === 'GET')
  const finalEdit = config.edits - 1
  const lastEdit = finalEdit * config.gap
  const shown = panel.at(-1)
  const fresh = shown && shown.stats.edit === finalEdit && !shown.stats.torn
  const up = config.outage?.to
  const afterUp = up === undefined ? [] : requests.filter((r) => r.sentAt >= up)
  return {
    name: c.name,
    requests,
    sent: requests.length,
    overlapping: reads.filter((r) => writes.some((w) => overlaps(r, w))).length,
    tornShown: panel.filter((p) => p.stats.torn).length,
    finalCorrect: net.state === finalEdit,
    lastEdit,
    freshAt: fresh ? shown.at : undefined,
    panel,
    firstAfterUp: afterUp[0]?.sentAt,
    quietAt: afterUp.length
      ? Math.max(...afterUp.map((r) => r.endAt ?? Number.POSITIVE_INFINITY))
      : undefined,
    offlineFailures: net.offlineFailures,
  }
}
