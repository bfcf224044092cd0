import { NetworkError } from '../errors.ts'
import type { FollowJobs } from '../follow.ts'
import { noop } from '../http.ts'
import { type Item, info, type Job, jobOf } from '../item.ts'
import { push, remove } from '../list.ts'
import { parseRetryAfter } from '../retry.ts'
import type { QueueRequest } from '../types.ts'
import { isResponse, judge } from '../verdict.ts'
import { JobError } from './errors.ts'
import { statusUrl } from './location.ts'
import { type FollowJobsOptions, jobSettings } from './options.ts'

/** A job as its follower keeps it: the next wait without `Retry-After`, and failed polls in a row. */
interface Followed extends Job {
  _step: number
  _fails: number
}

/** The lane a job leaves its own for, so that lane moves on; never a name an app gives. */
const JOB_LANE = '\0job '

/**
 * Follows `202 Accepted` jobs (DESIGN §2.10): a write answered 202 with a status URL
 * (`Operation-Location`, else `Location`) becomes `accepted`, and the status URL is polled with GET
 * through the queue (its transport, `beforeSend` and timeout, under `maxParallel`) until it
 * answers anything but 202. The caller gets that answer: after the redirects `fetch` follows, the
 * job's result. The spool keeps the job, so the next page polls on and never sends the write again.
 *
 * @example
 * const queue = createQueue({ spool, follow: followJobs({ maxWait: 60 * 60_000 }) })
 * const report = await queue.fetch('/reports', { method: 'POST', json: { month: '2024-05' } })
 * download(await report.blob()) // the result, however long the server took
 */
export function followJobs(options?: FollowJobsOptions): FollowJobs {
  const { interval, maxInterval, maxWait, hold } = jobSettings(options)
  return (o, events, attempts, scheduler, pump, deliver, fail, persist) => {
    const { clock } = o
    // A poll that fails says nothing about the job: it is tried again, however often, until the
    // job's deadline. The policy still sets the backoff and caps a server's `Retry-After`.
    const policy = { ...o.retry, limit: Infinity }
    policy.networkLimit = policy.limit

    const save = (it: Item) => {
      if (it._persist) persist?.store(it)
    }

    /** The lane moves on: the item waits for its job in a lane of its own. */
    function leaveLane(it: Item) {
      const home = it._home!
      remove(home, it)
      scheduler.release(home)
      push((it._home = scheduler.lane(JOB_LANE + it.id)), it)
      pump(home)
    }

    /** Polls again after `delay` ms, never past the job's deadline: the poll at the deadline decides. */
    function wait(it: Item, job: Followed, delay: number, error?: Error): number {
      const now = clock.now()
      const ms = Math.max(0, Math.min(delay, job.acceptedAt + maxWait - now))
      job.nextPollAt = now + ms
      attempts._backOff(it, error, ms)
      save(it)
      return ms
    }

    /** The next poll: when the server says (`Retry-After`), else half as long again as the last. */
    function next(it: Item, job: Followed, response: Response) {
      const after = parseRetryAfter(response.headers.get('retry-after'), clock.now())
      if (after !== undefined) return wait(it, job, Math.min(after, o.retry.maxRetryAfter))
      const { _step: step } = job
      job._step = Math.min(step * 1.5, maxInterval)
      wait(it, job, step)
    }

    /** The job failed: the item fails as any write does. `retry(id)` sends the write again. */
    function end(it: Item, error: Error) {
      it._job = undefined
      fail(it, error)
      // Parked by `onFailure: 'pause'`, still in its lane: stored as the write it is again.
      if (it._prev || it._home?._head === it) save(it)
    }

    const late = (job: Job, cause?: unknown) =>
      new JobError(
        'max-wait',
        job.url,
        `The job at ${job.url} did not end within maxWait (${maxWait} ms)`,
        { cause },
      )

    function accept(it: Item, response: Response): boolean {
      const url = statusUrl(response, it.url, o.spool?.allowedOrigins)
      if (url === undefined) return false
      response.body?.cancel().catch(noop)
      const now = clock.now()
      const job = Object.assign(jobOf(it, url, now, now), { _step: interval, _fails: 0 })
      it._job = job
      // The server holds the job: a newer write with the same dedupe key never replaces it.
      it._doubt = true
      if (!hold) leaveLane(it)
      next(it, job, response)
      events.emit('accepted', { item: info(it), location: url })
      return true
    }

    function polled(
      it: Item,
      job: Followed,
      ok: boolean,
      value: unknown,
      ctrl: AbortController | undefined,
      req: QueueRequest | undefined,
    ) {
      const now = clock.now()
      const over = now - job.acceptedAt >= maxWait
      if (ok && isResponse(value) && value.status === 202) {
        value.body?.cancel().catch(noop)
        job._fails = 0
        if (over) end(it, late(job))
        else next(it, job, value)
        return
      }
      const counters = {
        retry: policy,
        throwHttpErrors: it.throwHttpErrors,
        _netFails: job._fails,
        _statusFails: 0,
        attempts: 1,
        _doubt: false,
        _hasKey: false,
      }
      const verdict = judge(counters, ok, value, req, now)
      if (!('error' in verdict)) return deliver(it, verdict, ctrl)
      const { error } = verdict
      if (verdict.delay === undefined) return end(it, error)
      if (over) return end(it, late(job, error))
      job._fails++
      const delay = wait(it, job, verdict.delay, error)
      events.emit('retrying', { item: info(it), error, delay })
    }

    // A page that reloads polls on: each restored job keeps its deadline and its next poll time.
    events.on('restored', (event) => {
      for (const { id } of event.items) {
        // Each restored item is findable by id once its info exists, as the event's does.
        const it = scheduler.ids.get(id)
        const job = it?._job as Followed | null | undefined
        if (!it || !job) continue
        job._step = interval
        job._fails = 0
        if (!hold) leaveLane(it)
        wait(it, job, job.nextPollAt - clock.now())
      }
    })

    return (it, ok, value, ctrl, req) => {
      const { _job: job } = it
      try {
        if (job) {
          polled(it, job as Followed, ok, value, ctrl, req)
          return true
        }
        return (
          job === undefined &&
          it.kind === 'write' &&
          ok &&
          isResponse(value) &&
          value.status === 202 &&
          accept(it, value)
        )
      } catch (error) {
        // A status URL the queue may not follow; or, as the queue's own verdict says, a
        // look-alike that throws where a Response would not.
        if (error instanceof JobError) (value as Response).body?.cancel().catch(noop)
        end(
          it,
          error instanceof JobError
            ? error
            : new NetworkError(req, error, 'Invalid transport response'),
        )
        return true
      }
    }
  }
}
