import { afterEach, vi } from 'vitest'
import {
  createQueue,
  type FetchQueue,
  type QueueEvents,
  type QueueOptions,
} from '../../src/index.ts'
import { type FollowJobsOptions, followJobs } from '../../src/jobs/index.ts'
import { fakeTimersClock } from '../../src/testing/clock.ts'
import { flush } from '../../src/testing/flush.ts'
import { type ManualOnline, manualOnline } from '../../src/testing/online.ts'
import { API, HttpResponse, http } from '../support/http.ts'
import { track } from '../support/queue.ts'

export { API, flush, HttpResponse, http }
export const url = (path: string) => `${API}${path}`

/** The clock the tests start at: a fixed date, so HTTP dates in `Retry-After` are exact. */
export const T0 = Date.UTC(2030, 0, 1)

afterEach(() => {
  vi.useRealTimers()
})

/** What the next request to a path gets instead of the usual answer. */
export type Override = Response | 'drop' | 'hang' | 'lose'

export interface JobServer {
  /** `POST /exports` requests received (retries included). */
  readonly posts: number
  /** Jobs created: one per idempotency key. */
  readonly created: number
  /** Every request seen, as `'METHOD /path'`, in order. */
  readonly log: string[]
  /** Every request seen, in order. */
  readonly requests: Request[]
  /** When each request arrived (the fake clock's `Date.now()`), in order. */
  readonly times: number[]
  /** When each poll arrived, in milliseconds after the first request (the POST). */
  polls(): number[]
  /** The job's result is ready: its status URL redirects to it from now on. */
  finish(id: number, result?: unknown): void
  /** The job is gone: its status URL answers `status` from now on. */
  gone(id: number, status?: number): void
  /**
   * The next request to `what` (`'POST /exports'`, `'GET /jobs/1'`) gets `override`: a response;
   * `'drop'`, a dropped connection; `'hang'`, no answer until it is aborted; `'lose'` (a POST),
   * the job is created and the connection then drops, so the 202 is lost.
   */
  once(what: string, override: Override): void
  /** Waits (flushing, timers untouched) until the server has seen `n` requests. */
  seen(n: number): Promise<void>
}

export interface JobServerOptions {
  /** Headers of each 202 to `POST /exports`. Default `{ location: '/jobs/:id' }`. */
  accepted?: (id: number) => Record<string, string>
  /** Headers of each 202 to a poll of a running job. Default none. */
  running?: (id: number) => Record<string, string>
}

/**
 * A job API on msw: `POST /exports` creates a job (one per `Idempotency-Key`, a repeated key gets
 * the same job) and answers 202 with `Location: /jobs/:id`; `GET /jobs/:id` answers 202 while the
 * job runs, then `303 See Other` to `/results/:id`, which answers 200 with the result.
 */
export function jobServer(o: JobServerOptions = {}): JobServer {
  const jobs = new Map<number, { result?: unknown; gone?: number }>()
  const keys = new Map<string, number>()
  const overrides = new Map<string, Override[]>()
  const log: string[] = []
  const requests: Request[] = []
  const times: number[] = []
  let posts = 0

  const take = (what: string) => overrides.get(what)?.shift()
  const see = (request: Request) => {
    const what = `${request.method} ${new URL(request.url).pathname}`
    log.push(what)
    requests.push(request.clone())
    times.push(Date.now())
    return what
  }
  const special = (override: Override | undefined) => {
    if (override === 'drop' || override === 'lose') return HttpResponse.error()
    // The fetch still rejects when its signal aborts.
    if (override === 'hang') return new Promise<Response>(() => {})
    return override
  }

  http.use(
    http.post(url('/exports'), async ({ request }) => {
      const override = take(see(request))
      posts++
      if (override && override !== 'lose') return special(override)
      const key = request.headers.get('idempotency-key')
      let id = key === null ? undefined : keys.get(key)
      if (id === undefined) {
        id = jobs.size + 1
        jobs.set(id, {})
        if (key !== null) keys.set(key, id)
      }
      if (override === 'lose') return special(override)
      return new HttpResponse(JSON.stringify({ job: id }), {
        status: 202,
        headers: o.accepted?.(id) ?? { location: `/jobs/${id}` },
      })
    }),
    http.get(url('/jobs/:id'), ({ request, params }) => {
      const override = take(see(request))
      if (override) return special(override)
      const id = Number(params.id)
      const job = jobs.get(id)
      if (!job || job.gone) return new HttpResponse(null, { status: job?.gone ?? 404 })
      if (!('result' in job))
        return new HttpResponse(JSON.stringify({ status: 'running' }), {
          status: 202,
          headers: o.running?.(id) ?? {},
        })
      return new HttpResponse(null, { status: 303, headers: { location: `/results/${id}` } })
    }),
    http.get(url('/results/:id'), ({ request, params }) => {
      see(request)
      return HttpResponse.json(jobs.get(Number(params.id))!.result ?? null)
    }),
  )

  return {
    get posts() {
      return posts
    },
    get created() {
      return jobs.size
    },
    log,
    requests,
    times,
    polls: () => times.flatMap((t, i) => (log[i]!.startsWith('GET /jobs/') ? [t - times[0]!] : [])),
    finish(id, result = { id }) {
      jobs.get(id)!.result = result
    },
    gone(id, status = 404) {
      jobs.get(id)!.gone = status
    },
    once(what, override) {
      overrides.set(what, [...(overrides.get(what) ?? []), override])
    },
    async seen(n) {
      // Under fake timers nothing is due, so turns are the measure; on real timers (a real
      // interval between polls, on a loaded machine) the wall clock is, for up to 5 s.
      const real = !vi.isFakeTimers()
      const until = Date.now() + 5000
      for (let i = 0; log.length < n && (i < 100 || (real && Date.now() < until)); i++)
        await flush(1)
      if (log.length < n) throw new Error(`the server saw ${log.length} requests, not ${n}`)
    },
  }
}

type Logged = { [K in keyof QueueEvents]: { type: K } & QueueEvents[K] }[keyof QueueEvents]

export interface JobPage {
  queue: FetchQueue
  online: ManualOnline
  /** Every event the queue raised, in order. */
  events: Logged[]
  of<K extends keyof QueueEvents>(type: K): QueueEvents[K][]
}

/**
 * A queue that follows jobs, on the default fetch transport (msw answers) under Vitest's fake
 * timers, started at `T0`. Disposed after the test.
 */
export function jobQueue(follow: FollowJobsOptions = {}, options: QueueOptions = {}): JobPage {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ now: T0 })
  const online = manualOnline()
  const queue = track(
    createQueue({ clock: fakeTimersClock(), online, follow: followJobs(follow), ...options }),
  )
  const events: Logged[] = []
  const names: (keyof QueueEvents)[] = ['accepted', 'sent', 'failed', 'retrying', 'restored']
  for (const type of names) queue.on(type, (e) => events.push({ type, ...e } as Logged))
  return {
    queue,
    online,
    events,
    of: <K extends keyof QueueEvents>(type: K) =>
      events.filter((e) => e.type === type) as unknown as QueueEvents[K][],
  }
}

/** Moves the fake clock forward by `ms`, running what falls due and what the answers start. */
export async function advance(ms: number): Promise<void> {
  await flush()
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

/** The states of the queue's items, in order. */
export const states = (queue: FetchQueue) => queue.getSnapshot().items.map((i) => i.state)
