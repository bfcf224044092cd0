import type { FetchQueue } from './api.ts'
import { asFetch } from './as-fetch.ts'
import { createAttempts } from './attempts.ts'
import { bodyLinks } from './body-signal.ts'
import { dedupeKeys } from './dedupe.ts'
import { onPageHide } from './env/page.ts'
import { QueueClosedError } from './errors.ts'
import { emitter, type QueueEvents } from './events.ts'
import { HOST } from './host.ts'
import { inputReader } from './input.ts'
import { type Item, type ItemDefaults, info } from './item.ts'
import { keyMinter } from './key.ts'
import type { Lane } from './lane.ts'
import { push, remove } from './list.ts'
import { normalize, type QueueFields, type QueueInit, type QueueOptions } from './options.ts'
import { progressEvents } from './progress.ts'
import { createScheduler } from './scheduler.ts'
import { buildSnapshot } from './snapshot.ts'
import { ATTACH } from './spool/types.ts'
import { changeState } from './state.ts'
import { listeners } from './subscribable.ts'
import { judge } from './verdict.ts'
import { adopt, copy, handled, rejectAll, resolveAll, waitOn } from './waiters.ts'

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
  const linkBody = bodyLinks()
  const prefix = Math.random().toString(36).slice(2, 8)
  let seq = 0
  /** Items in the lanes, settled or not. */
  let count = 0
  let paused = false
  let closed = false
  let restoring = !!spool
  let epoch = 0
  let online = o.online.isOnline()
  let offlineSince = Number.NEGATIVE_INFINITY
  let unstored: Item[] = []

  const defaults: ItemDefaults = {
    retry: o.retry,
    timeout: o.timeout,
    throwHttpErrors: o.throwHttpErrors,
    idempotency: o.idempotency,
    spool: !!spool,
  }
  const readInput = inputReader(defaults)
  const attempts = createAttempts({
    clock,
    transport: o.transport,
    beforeSend: o.beforeSend,
    mint,
    ended,
    touch: (it) => touch(it),
    woke: (it) => pump(it.home),
    progress: progressEvents(clock, events),
  })
  const scheduler = createScheduler({
    maxParallel: o.maxParallel,
    maxParallelReads: o.maxParallelReads,
    busy: () => attempts.inFlight.length,
    send: start,
  })
  const { lanes, ids } = scheduler

  /** Every pending item, lane by lane. */
  function each(fn: (it: Item) => void) {
    for (const lane of [...lanes.values()])
      for (let it = lane.head; it; ) {
        const next = it.next
        fn(it)
        it = next
      }
  }

  const state = changeState(() => buildSnapshot(lanes, { online, paused, restoring }))
  const { touch } = state

  const isIdle = () => !restoring && !count && !attempts.inFlight.length

  function checkIdle() {
    if (isIdle()) idle.emit(undefined)
  }

  // ---- scheduling ----------------------------------------------------------------------------

  /** Starts what may start in `lane` (or in every lane), and whatever waited for a free slot. */
  function pump(lane?: Lane) {
    // Offline is a hint, not a gate (DESIGN §2.4): items are still attempted at their backoff pace.
    if (paused || closed || restoring) return
    if (lane) scheduler.pump(lane)
    else scheduler.pumpAll()
  }

  function start(it: Item) {
    if (it.kind === 'read') it.home!.reads++
    attempts.send(it)
    touch(it)
  }

  /** The item is settled for good: take it out and forget it. */
  function finish(it: Item) {
    const home = it.home!
    if (remove(home, it)) {
      count--
      scheduler.release(home)
    }
    if (ids.size) ids.delete(it.id)
    // A finished item may sit in the old generation until the next full collection; what it
    // still points to would be promoted with it.
    it.req = undefined
    keys.release(it)
    attempts.stopTimer(it)
    it.signal?.removeEventListener('abort', it.onAbort!)
    persist?.forget(it)
    touch()
    checkIdle()
  }

  // ---- outcomes ------------------------------------------------------------------------------

  function ended(
    it: Item,
    ok: boolean,
    value: unknown,
    ctrl: AbortController | undefined,
    startedAt: number,
  ) {
    if (it.kind === 'read') it.home!.reads--
    if (closed) return
    if (it.done) finish(it)
    else {
      const verdict = judge(it, ok, value, it.req, clock.now())
      // An answer from the server proves the connection, whatever the browser said; not an
      // answer to an attempt that started before the browser said offline.
      if (!online && ok && startedAt >= offlineSince && !(verdict as { net?: boolean }).net)
        setOnline(true)
      if (!('error' in verdict)) deliver(it, verdict, ctrl)
      else if (verdict.delay !== undefined) {
        if (verdict.net) {
          it.netFails++
          it.doubt = true
        } else it.statusFails++
        attempts.backOff(it, verdict.error, verdict.delay)
        events.emit('retrying', { item: info(it), error: verdict.error, delay: verdict.delay })
      } else fail(it, verdict.error)
    }
    touch(it)
    checkIdle()
    pump(it.home)
  }

  function deliver(it: Item, res: Response, ctrl?: AbortController) {
    // Aborting after the response arrived aborts the body, as with fetch. A body shared with the
    // followers of superseded calls is not one caller's to abort.
    if (it.signal && ctrl && !it.more) linkBody(it.signal, ctrl, res)
    if (events.has('sent'))
      events.emit('sent', { item: info(it), response: it.waiter || it.more ? copy(res) : res })
    resolveAll(it, res)
    finish(it)
  }

  function fail(it: Item, error: Error) {
    it.error = error
    // Before the event, so its item reads as the snapshot does: failed, with its error.
    it.state = 'failed'
    touch(it)
    events.emit('failed', { item: info(it), error })
    if (o.onFailure !== 'pause' || it.kind !== 'write') {
      rejectAll(it, error)
      finish(it)
    }
  }

  /** Settles an item for its callers now. One still on the wire leaves the lane when it returns. */
  function drop(it: Item, error: unknown) {
    if (it.done) return
    it.done = true
    rejectAll(it, error)
    if (it.state === 'sending') attempts.cut(it, error)
    else finish(it)
    touch(it)
  }

  // ---- spool ---------------------------------------------------------------------------------

  const persist = spool?.[ATTACH](spool, {
    events,
    defaults,
    mint,
    now: () => clock.now(),
    clock,
    touch,
    holder: keys.holder,
    adopt: (items) => {
      if (closed) return
      // Behind what this page already holds, in their own order (each tab keeps its own order).
      for (const it of items) {
        it.seq = ++seq
        push((it.home = scheduler.lane(it.lane)), it)
      }
      restore(items)
      touch()
      pump()
    },
  })

  /** Puts restored items ahead of everything enqueued while loading, in their original order. */
  function restoreFirst(items: Item[]) {
    // New items continue the stored sequence, so the next page still orders them after these
    // when `at` ties (a fast reload, a clock that did not move).
    for (const it of items) if (it.seq > seq) seq = it.seq
    for (const it of unstored) it.seq = ++seq
    scheduler.putAhead(items)
    restore(items)
  }

  function restore(items: Item[]) {
    count += items.length
    for (const it of items) keys.keep(it)
    if (items.length) events.emit('restored', { items: items.map(info) })
  }

  const ready: Promise<void> = persist
    ? Promise.resolve()
        .then(() => {
          // Disposed before its spool was read (StrictMode mounts, unmounts and mounts again):
          // reading it now would lock partitions that nothing ever releases.
          if (closed) return
          const at = epoch
          return persist.load().then((items) => {
            if (at === epoch && !closed) restoreFirst(items)
          })
        })
        .catch((e) => persist.failed(e))
        .then(() => {
          restoring = false
          if (closed) return
          for (const it of unstored) if (!it.done) persist.store(it)
          unstored = []
          touch()
          pump()
          checkIdle()
        })
    : Promise.resolve()

  /** `true` also means "try now": the connection is back, or the page is visible again. */
  function setOnline(isOnline: boolean) {
    if (online && !isOnline) offlineSince = clock.now()
    online = isOnline
    if (isOnline) each(attempts.wake)
    touch()
  }

  const stopOnline = o.online.subscribe((isOnline) => {
    setOnline(isOnline)
    pump()
  })

  // Firefox cuts a page's requests when a navigation away starts, while the page still runs: the
  // queue's retry of the cut write started then, and outlived the page, so the next page's resend
  // of the same write met it on the wire. Every attempt ends with the page, as a dropped
  // connection: the write stays stored, in doubt, and goes again with its own key from the next
  // page (or from this one, back from the back-forward cache).
  const stopPageHide = onPageHide(() => {
    const left = new DOMException('The page was left', 'AbortError')
    // Ending an attempt takes it out of the array and may let another start: cut until none is left.
    while (attempts.inFlight.length) attempts.cut(attempts.inFlight[0]!, left, left)
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
      it = readInput(input, init, prefix + ++seq, seq, clock.now(), fields)
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
      it.signal = signal
      it.onAbort = () => {
        drop(it, signal.reason)
        pump()
      }
      signal.addEventListener('abort', it.onAbort, { once: true })
    }
    if (it.body instanceof Promise) {
      it.pending = it.body.then((body) => {
        it.body = body
      })
    }
    if (it.dedupe !== undefined) supersede(it)
    const home = (it.home = scheduler.lane(it.lane))
    push(home, it)
    count++
    if (it.persist) {
      if (restoring) unstored.push(it)
      else persist!.store(it)
    }
    touch()
    pump(home)
    return promise
  }

  function supersede(it: Item) {
    const found = keys.claim(it)
    if (!found) return
    const [old, how] = found
    adopt(it, old)
    events.emit('superseded', { item: info(old), by: info(it) })
    old.done = true
    if (how === 'abort')
      attempts.cut(old, abortError('Superseded by a newer request with the same dedupe key'))
    else finish(old)
  }

  // ---- public API ----------------------------------------------------------------------------

  function find(id: string): Item | undefined {
    const it = ids.get(id)
    return it && !it.done ? it : undefined
  }

  const queue: FetchQueue = {
    // A third argument (up-fetch passes one) is not the queue's fields.
    fetch: (input, init) => enqueue(input, init),
    asFetch: (options) => asFetch(enqueue, options),
    ready,
    subscribe: state.subscribe,
    getSnapshot: state.get,
    on: events.on,
    pause(name) {
      if (name === undefined) paused = true
      else scheduler.lane(name).paused = true
      touch()
    },
    resume(name) {
      if (name === undefined) paused = false
      else {
        const lane = scheduler.lane(name)
        lane.paused = false
        scheduler.release(lane)
      }
      touch()
      pump()
    },
    retry(id) {
      if (id === undefined) each(attempts.wake)
      else {
        const it = find(id)
        if (it?.state === 'failed') {
          it.state = 'queued'
          it.error = undefined
          it.netFails = it.statusFails = 0
          touch(it)
        } else if (it) attempts.wake(it)
      }
      pump()
    },
    discard(id) {
      const it = find(id)
      if (!it) return false
      drop(it, it.state === 'failed' ? it.error : abortError('The item was discarded'))
      pump()
      return true
    },
    async clear() {
      epoch++
      const reason = abortError('The queue was cleared')
      each((it) => {
        if (it.stored) it.stored = false
        drop(it, reason)
      })
      unstored = []
      keys.clear()
      await persist?.clear()
      pump()
    },
    whenIdle() {
      // After dispose() nothing will ever settle what is left: say so instead of hanging.
      if (closed) return Promise.reject(new QueueClosedError())
      if (isIdle()) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const off = idle.add((error) => {
          off()
          if (error) reject(error)
          else resolve()
        })
      })
    },
    dispose() {
      if (closed) return
      closed = true
      stopOnline()
      stopPageHide()
      attempts.stop()
      const error = new QueueClosedError()
      each((it) => {
        attempts.stopTimer(it)
        it.signal?.removeEventListener('abort', it.onAbort!)
        rejectAll(it, error)
        attempts.cut(it, error, error)
      })
      scheduler.clear()
      count = 0
      keys.clear()
      idle.emit(error)
      idle.clear()
      persist?.dispose()
      state.clear()
      events.clear()
    },
  }
  return Object.assign(queue, { [HOST]: { clock, online: o.online, retry: o.retry } })
}
