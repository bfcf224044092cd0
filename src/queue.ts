import type { FetchQueue } from './api.ts'
import { asFetch } from './as-fetch.ts'
import { createAttempts } from './attempts.ts'
import { bodyLinks } from './body-signal.ts'
import { connectivity } from './connectivity.ts'
import { dedupeKeys } from './dedupe.ts'
import { onPageHide } from './env/page.ts'
import { QueueClosedError } from './errors.ts'
import { emitter, type QueueEvents } from './events.ts'
import { HOST, type QueueHost } from './host.ts'
import { inputReader } from './input.ts'
import { type Item, type ItemDefaults, rare } from './item.ts'
import { keyMinter } from './key.ts'
import type { Lane } from './lane.ts'
import { normalize, type QueueFields, type QueueInit, type QueueOptions } from './options.ts'
import { outcomes } from './outcome.ts'
import { progressEvents } from './progress.ts'
import { createScheduler } from './scheduler.ts'
import { buildSnapshot } from './snapshot.ts'
import { ATTACH } from './spool/types.ts'
import { changeState } from './state.ts'
import { listeners } from './subscribable.ts'
import { handled, rejectAll, waitOn } from './waiters.ts'

const abortError = (message: string) => new DOMException(message, 'AbortError')

/**
 * Creates a queue. Without options it sends with the global `fetch`, keeps pending writes in
 * memory, retries as `RetryPolicy` says, and times each attempt out after 30 s.
 *
 * @example
 * const queue = createQueue({ spool: localStorageSpool({ key: `editor:${userId}:${docId}` }) })
 * queue.fetch(`/docs/${docId}`, { method: 'PUT', json: doc, dedupe: true })
 */
export function createQueue(options?: QueueOptions): FetchQueue {
  const o = normalize(options)
  const { clock, spool } = o
  const events = emitter<QueueEvents>()
  const idle = listeners<Error | undefined>()
  const keys = dedupeKeys()
  const mint = keyMinter()
  const prefix = Math.random().toString(36).slice(2, 8)
  let paused = false
  let closed = false
  let restoring = !!spool

  // The normalized options are the defaults every item starts from.
  const defaults: ItemDefaults = o
  const readInput = inputReader(defaults)
  const attempts = createAttempts({
    clock,
    transport: o.transport,
    beforeSend: o.beforeSend,
    mint,
    _ended: (it, ok, value, a) => ended(it, ok, value, a),
    _touch: (it) => touch(it),
    _woke: (it) => pump(it._home),
    progress: progressEvents(clock, events),
  })
  const scheduler = createScheduler({
    maxParallel: o.maxParallel,
    maxParallelReads: o.maxParallelReads,
    busy: () => attempts._inFlight.length,
    send: start,
  })
  const { lanes, ids, each } = scheduler

  const state = changeState(() =>
    buildSnapshot(lanes, { online: net.isOnline(), paused, restoring }),
  )
  const { touch } = state
  const net = connectivity(o.online, clock, (isOnline) => {
    // `true` also means "try now": the connection is back, or the page is visible again.
    if (isOnline) each(attempts.wake)
    touch()
    pump()
  })

  // Firefox cuts a page's requests when a navigation away starts, while the page still runs: the
  // queue's retry of the cut write started then, and outlived the page, so the next page's resend
  // of the same write met it on the wire. Every attempt ends with the page, as a dropped
  // connection: the write stays stored, in doubt, and goes again with its own key from the next
  // page (or from this one, back from the back-forward cache).
  const stopPageHide = onPageHide(() =>
    attempts._cutAll(new DOMException('The page was left', 'AbortError')),
  )

  const isIdle = () => !restoring && !scheduler.size && !attempts._inFlight.length

  function checkIdle() {
    if (isIdle()) idle.emit(undefined)
  }

  // ---- scheduling ----------------------------------------------------------------------------

  /** Starts what may start in `lane` (or in every lane), and whatever waited for a free slot. */
  function pump(lane?: Lane) {
    // Offline is a hint, not a gate (DESIGN §2.4): items are still attempted at their backoff pace.
    if (paused || closed || restoring) return
    scheduler.pump(lane)
  }

  function start(it: Item) {
    if (it.kind === 'read') it._home!._reads++
    attempts.send(it)
    touch(it)
  }

  /** Stops what the item set going around itself: its backoff timer, its listener on the caller's signal. */
  function unhook(it: Item) {
    attempts._stopTimer(it)
    const r = it._rare
    r?._signal?.removeEventListener('abort', r._onAbort!)
  }

  /** The item is settled for good: take it out and forget it. */
  function finish(it: Item) {
    scheduler.remove(it)
    if (ids.size) ids.delete(it.id)
    keys.release(it)
    unhook(it)
    persist?._forget(it)
    touch()
    checkIdle()
  }

  // ---- spool ---------------------------------------------------------------------------------

  const persist = spool?.[ATTACH](spool, {
    events,
    defaults,
    mint,
    now: () => clock.now(),
    clock,
    _touch: touch,
    _holder: keys.holder,
    closed: () => closed,
    _place(items, meanwhile) {
      if (meanwhile) scheduler._putAhead(items, meanwhile)
      else scheduler.append(items)
      for (const it of items) keys.keep(it)
      touch()
      pump()
    },
    _started() {
      restoring = false
      if (closed) return
      touch()
      pump()
      checkIdle()
    },
  })
  const ready = persist ? persist.start() : Promise.resolve()

  const { ended, drop, replaced, again } = outcomes({
    clock,
    events,
    attempts,
    _linkBody: bodyLinks(),
    _pauseOnFailure: o.onFailure === 'pause',
    closed: () => closed,
    _answered: net.answered,
    _finish: finish,
    _touch: touch,
    _checkIdle: checkIdle,
    pump,
    follow: (deliver, fail) =>
      o.follow?.(o, events, attempts, scheduler, pump, deliver, fail, persist),
  })

  // ---- enqueue -------------------------------------------------------------------------------

  function enqueue(
    input: RequestInfo | URL,
    init?: QueueInit,
    fields?: QueueFields,
  ): Promise<Response> {
    // Like every other outcome but bad input, these must not surface as unhandled rejections.
    if (closed) return handled(new QueueClosedError())
    let it: Item
    try {
      const seq = scheduler.next()
      it = readInput(input, init, prefix + seq, seq, clock.now(), fields)
    } catch (e) {
      return Promise.reject(e)
    }
    // As with fetch: bad input is refused before the signal is looked at, and the init's signal
    // (null included) overrides the Request's own.
    const signal =
      (init?.signal !== undefined ? init.signal : (input as Partial<Request>).signal) ?? undefined
    if (signal?.aborted) return handled(signal.reason)
    const promise = waitOn(it)
    if (signal) {
      const r = rare(it)
      r._signal = signal
      r._onAbort = () => {
        drop(it, signal.reason)
        pump()
      }
      signal.addEventListener('abort', r._onAbort, { once: true })
    }
    if (it.body instanceof Promise) {
      it._pending = it.body.then((body) => {
        it.body = body
      })
    }
    const found = it._rare?._dedupe !== undefined ? keys._claim(it) : undefined
    // The newer item joins its lane before the older one leaves: the queue is never idle between
    // the two, and the `superseded` event's `by` can already be found by its id.
    scheduler.add(it)
    if (found) replaced(it, ...found)
    if (it._persist) persist!.store(it)
    touch()
    pump(it._home)
    return promise
  }

  // ---- public API ----------------------------------------------------------------------------

  function find(id: string): Item | undefined {
    const it = ids.get(id)
    return it && !it._done ? it : undefined
  }

  const queue: FetchQueue & { [HOST]: QueueHost } = {
    [HOST]: { clock, online: o.online, retry: o.retry },
    // A third argument (up-fetch passes one) is not the queue's fields.
    fetch: (input, init) => enqueue(input, init),
    asFetch: (options) => asFetch(enqueue, options),
    ready,
    subscribe: state.subscribe,
    getSnapshot: state.get,
    on: events.on,
    pause(name) {
      if (name === undefined) paused = true
      else scheduler.lane(name)._paused = true
      touch()
    },
    resume(name) {
      if (name === undefined) paused = false
      else {
        const lane = scheduler.lane(name)
        lane._paused = false
        scheduler.release(lane)
      }
      touch()
      pump()
    },
    retry(id) {
      if (id === undefined) each(attempts.wake)
      else {
        const it = find(id)
        if (it) again(it)
      }
      pump()
    },
    discard(id) {
      const it = find(id)
      if (!it) return false
      drop(it, it.state === 'failed' ? it._rare?._error : abortError('The item was discarded'))
      pump()
      return true
    },
    async clear() {
      const reason = abortError('The queue was cleared')
      each((it) => {
        if (it._stored) it._stored = false
        drop(it, reason)
      })
      keys.clear()
      await persist?.clear()
      pump()
    },
    whenIdle() {
      // After dispose() nothing will ever settle what is left: say so instead of hanging.
      if (closed) return Promise.reject(new QueueClosedError())
      if (isIdle()) return Promise.resolve()
      return idle.next().then((error) => {
        if (error) throw error
      })
    },
    dispose() {
      if (closed) return
      closed = true
      net.stop()
      stopPageHide()
      attempts.stop()
      const error = new QueueClosedError()
      each((it) => {
        unhook(it)
        rejectAll(it, error)
        attempts.cut(it, error, error)
      })
      scheduler.clear()
      keys.clear()
      idle.emit(error)
      idle.clear()
      persist?.dispose()
      state.clear()
      events.clear()
    },
  }
  return queue
}
