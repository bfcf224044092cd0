/**
 * The demo server's asynchronous jobs: a timetable export that takes a while, as the
 * asynchronous request–response pattern runs it.
 *
 *   POST /projects/:id/exports  starts an export (Idempotency-Key honoured: a repeat gets the same
 *                               job) → 202, `Location: /jobs/:job`, `Retry-After: 1`
 *   GET  /jobs/:job             → 202 while the job runs (`exportTime` knob), then
 *                               303 See Other → /jobs/:job/result
 *   GET  /jobs/:job/result      → 200, the timetable as CSV
 *
 * The record counts, per project, the POSTs received and the jobs created, so a test can see that
 * a retried or replayed POST made no second job.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type IdempotencyStore, idempotencyStore, requestKey } from './idempotency.ts'
import type { KnobState, Knobs } from './knobs.ts'
import type { Stop } from './route.ts'

/** What the server did with one project's exports. */
export interface ExportRecord {
  /** `POST …/exports` requests received, retries and repeats included. */
  posts: number
  /** Jobs created: one per idempotency key. */
  created: number
  /** POSTs answered with the job a repeated key had already made. */
  replays: number
  /** Polls of a job's status URL. */
  polls: number
  /** Results downloaded. */
  results: number
  /** Every job: its id, and whether its result is ready. */
  jobs: { id: string; done: boolean }[]
}

interface Job {
  id: string
  project: string
  /** When it will be done (ms, `Date.now()`). */
  readyAt: number
  csv: string
}

interface Counts {
  posts: number
  replays: number
  polls: number
  results: number
}

const EXPORTS = /^\/projects\/([\w-]{1,64})\/exports$/
const JOB = /^\/jobs\/(j\d+)(\/result)?$/
/** How long an export runs unless the `exportTime` knob says otherwise. */
const DEFAULT_TIME = 4000

/** The route's timetable: a bus every 10 minutes from 06:00, two minutes between stops. */
export function timetable(stops: readonly Stop[]): string {
  const time = (minutes: number) =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  const rows = stops.map((s, i) =>
    [JSON.stringify(s.name), ...[0, 10, 20, 30].map((m) => time(360 + m + 2 * i))].join(','),
  )
  return `stop,first,second,third,fourth\n${rows.join('\n')}\n`
}

export interface Exports {
  /** Handles the request if it is an export's; false when it is not. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean
  set(knobs: Knobs): void
  record(project?: string): ExportRecord
  reset(): void
}

export function createExports(o: {
  knobs: KnobState
  /** The project's current route. */
  stops(project: string): readonly Stop[]
}): Exports {
  let jobs = new Map<string, Job>()
  let stores = new Map<string, IdempotencyStore>()
  let counts = new Map<string, Counts>()
  let time = new Map<string | undefined, number>()
  const count = (project: string) => {
    let c = counts.get(project)
    if (!c) counts.set(project, (c = { posts: 0, replays: 0, polls: 0, results: 0 }))
    return c
  }
  const store = (project: string) => {
    let s = stores.get(project)
    if (!s) stores.set(project, (s = idempotencyStore()))
    return s
  }
  const send = (res: ServerResponse, status: number, body: string, headers = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      connection: 'close',
      ...headers,
    })
    res.end(body)
  }

  async function start(req: IncomingMessage, res: ServerResponse, project: string) {
    const body = await readBody(req)
    const c = count(project)
    c.posts++
    const { knobs } = o
    if (knobs.down(project)) return req.socket.destroy()
    const rule = knobs.takeRule(project, true)
    if (rule?.mode === 'drop') return req.socket.destroy()
    await delay(knobs.latency(project))
    if (rule?.mode === '503')
      return send(res, 503, '{"error":"busy"}', { 'retry-after': String(rule.retryAfter) })
    const handled = await store(project).handle(requestKey(req), body, () => {
      const id = `j${jobs.size + 1}`
      const ms = time.get(project) ?? time.get(undefined) ?? DEFAULT_TIME
      jobs.set(id, { id, project, readyAt: Date.now() + ms, csv: timetable(o.stops(project)) })
      return {
        status: 202,
        body: JSON.stringify({ job: id }),
        headers: { location: `/jobs/${id}`, 'retry-after': '1' },
      }
    })
    const { status, headers } = handled.answer
    if (handled.outcome === 'replayed') c.replays++
    // The job is made; the answer never arrives.
    if (rule?.mode === 'lose-response' && handled.outcome === 'applied') return req.socket.destroy()
    send(res, status, handled.answer.body, headers)
  }

  async function poll(req: IncomingMessage, res: ServerResponse, job: Job, result: boolean) {
    const { knobs } = o
    if (knobs.down(job.project)) return req.socket.destroy()
    await delay(knobs.latency(job.project))
    const c = count(job.project)
    if (result) {
      c.results++
      return send(res, 200, job.csv, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="timetable.csv"',
      })
    }
    c.polls++
    const left = job.readyAt - Date.now()
    if (left > 0)
      return send(res, 202, JSON.stringify({ status: 'running', left }), { 'retry-after': '1' })
    send(res, 303, '', { location: `/jobs/${job.id}/result` })
  }

  return {
    handle(req, res, url) {
      const fail = (error: unknown) => {
        if (!res.headersSent) send(res, 500, JSON.stringify({ error: String(error) }))
      }
      const post = EXPORTS.exec(url.pathname)
      if (post) {
        if (req.method !== 'POST')
          send(res, 405, '{"error":"method not allowed"}', { allow: 'POST' })
        else start(req, res, post[1]!).catch(fail)
        return true
      }
      const get = JOB.exec(url.pathname)
      if (!get) return false
      const job = jobs.get(get[1]!)
      if (req.method !== 'GET') send(res, 405, '{"error":"method not allowed"}', { allow: 'GET' })
      else if (!job) send(res, 404, '{"error":"no such job"}')
      else poll(req, res, job, !!get[2]).catch(fail)
      return true
    },
    set(k) {
      if (k.exportTime !== undefined) time.set(k.project, k.exportTime)
    },
    record(project) {
      const mine = [...jobs.values()].filter((j) => project === undefined || j.project === project)
      const all = [...counts.entries()].filter(([p]) => project === undefined || p === project)
      const sum = (k: keyof Counts) => all.reduce((n, [, c]) => n + c[k], 0)
      return {
        posts: sum('posts'),
        created: mine.length,
        replays: sum('replays'),
        polls: sum('polls'),
        results: sum('results'),
        jobs: mine.map((j) => ({ id: j.id, done: j.readyAt <= Date.now() })),
      }
    },
    reset() {
      jobs = new Map()
      stores = new Map()
      counts = new Map()
      time = new Map()
    },
  }
}

function readBody(req: IncomingMessage, limit = 1 << 16): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()))
