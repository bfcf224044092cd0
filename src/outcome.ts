import type { Attempt, Attempts } from './attempts.ts'
import type { bodyLinks } from './body-signal.ts'
import type { Emitter, QueueEvents } from './events.ts'
import type { Follower } from './follow.ts'
import { type Item, info, rare } from './item.ts'
import type { Clock } from './types.ts'
import { judge } from './verdict.ts'
import { adopt, copy, rejectAll, resolveAll } from './waiters.ts'

export interface OutcomeHost {
  clock: Clock
  events: Emitter<QueueEvents>
  attempts: Attempts
  _linkBody: ReturnType<typeof bodyLinks>
  _pauseOnFailure: boolean
  closed(): boolean
  /** The server answered an attempt started at `startedAt` (see connectivity.ts). */
  _answered(startedAt: number): void
  /** The item is settled for good: out of its lane, forgotten. */
  _finish(it: Item): void
  _touch(it?: Item): void
  _checkIdle(): void
  pump(lane?: Item['_home']): void
  /**
   * Makes the follower of `fetch-queue/jobs`, when the queue has one, lending it how an outcome
   * is applied. It sees each outcome of a write first.
   */
  follow(
    deliver: (it: Item, res: Response, ctrl?: AbortController) => void,
    fail: (it: Item, error: Error) => void,
  ): Follower | undefined
}

/**
 * What happens to an item once an attempt is over (DESIGN §2.4): the verdict is applied, the
 * callers are settled, the events raised. The verdict itself is a pure function (verdict.ts).
 */
export function outcomes(h: OutcomeHost) {
  const { events, attempts } = h
  const follow = h.follow(deliver, fail)

  function ended(it: Item, ok: boolean, value: unknown, a: Attempt) {
    const { _ctrl: ctrl } = a
    if (it.kind === 'read') it._home!._reads--
    if (h.closed()) return
    if (it._done) h._finish(it)
    // A 202 that starts a job, or a job's poll, is the follower's to judge (fetch-queue/jobs).
    else if (!follow?.(it, ok, value, ctrl, a._req)) {
      const verdict = judge(it, ok, value, a._req, h.clock.now())
      // An answer from the server proves the connection, whatever the browser said.
      if (ok && !(verdict as { net?: boolean }).net) h._answered(a.at)
      if (!('error' in verdict)) deliver(it, verdict, ctrl)
      else if (verdict.delay !== undefined) {
        if (verdict.net) {
          it._netFails++
          it._doubt = true
        } else it._statusFails++
        attempts._backOff(it, verdict.error, verdict.delay)
        events.emit('retrying', { item: info(it), error: verdict.error, delay: verdict.delay })
      } else fail(it, verdict.error)
    }
    h._touch(it)
    h._checkIdle()
    h.pump(it._home)
  }

  function deliver(it: Item, res: Response, ctrl?: AbortController) {
    // Aborting after the response arrived aborts the body, as with fetch. A body shared with the
    // followers of superseded calls is not one caller's to abort.
    const r = it._rare
    if (r?._signal && ctrl && !r._more) h._linkBody(r._signal, ctrl, res)
    if (events.has('sent'))
      events.emit('sent', { item: info(it), response: it._promise || r?._more ? copy(res) : res })
    resolveAll(it, res)
    h._finish(it)
  }

  function fail(it: Item, error: Error) {
    rare(it)._error = error
    // Before the event, so its item reads as the snapshot does: failed, with its error.
    it.state = 'failed'
    h._touch(it)
    events.emit('failed', { item: info(it), error })
    if (!h._pauseOnFailure || it.kind !== 'write') {
      rejectAll(it, error)
      h._finish(it)
    }
  }

  /** Settles an item for its callers now. One still on the wire leaves the lane when it returns. */
  function drop(it: Item, error: unknown) {
    if (it._done) return
    it._done = true
    rejectAll(it, error)
    if (it.state === 'sending') attempts.cut(it, error)
    else h._finish(it)
    h._touch(it)
  }

  /** A newer item with the same dedupe key replaces `old` and takes over its callers (§2.3). */
  function replaced(it: Item, old: Item, how: 'replace' | 'abort') {
    adopt(it, old)
    events.emit('superseded', { item: info(old), by: info(it) })
    old._done = true
    if (how === 'abort')
      attempts.cut(
        old,
        new DOMException('Superseded by a newer request with the same dedupe key', 'AbortError'),
      )
    else h._finish(old)
  }

  /**
   * `retry(id)`: a failed item is queued again at its place, counting from zero; one waiting
   * for its backoff goes now.
   */
  function again(it: Item) {
    if (it.state !== 'failed') return attempts.wake(it)
    it.state = 'queued'
    if (it._rare) it._rare._error = undefined
    it._netFails = it._statusFails = 0
    h._touch(it)
  }

  return { ended, drop, replaced, again }
}
