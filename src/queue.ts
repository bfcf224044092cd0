import { systemClock } from './env/clock.ts'
import { browserOnline } from './env/online.ts'
import { QueueClosedError, TimeoutError } from './errors.ts'
import { emitter } from './events.ts'
import { HOST } from './host.ts'
import { createItem, type Item, type ItemDefaults, info } from './item.ts'
import { normalize, type QueueInit, type QueueOptions } from './options.ts'
import { progressEvents } from './progress.ts'
import { Attempt, buildRequest } from './request.ts'
import { judge } from './retry.ts'
import { copy, handled, noop, rejectAll, resolveAll, waiters } from './settle.ts'
import { ATTACH } from './spool/types.ts'
import { fetchTransport } from './transport/fetch.ts'
import type { ItemInfo, QueueEvents, QueueSnapshot } from './types.ts'

/** The object `createQueue` returns: a `fetch` that queues, plus the queue's state and controls. */
export interface FetchQueue {
  /** Queues a request. Same signature as `fetch`, plus the fields of `QueueInit`. */
  fetch(input: RequestInfo | URL, init?: QueueInit): Promise<Response>
  /** Calls `listener` after changes, at most once per microtask. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** An immutable snapshot, the same object until something changes (fits `useSyncExternalStore`). */
  getSnapshot(): QueueSnapshot
  /**
   * Listens to one of the typed `QueueEvents`. Returns the unsubscribe function. A listener that
   * throws cannot break the queue: its error is rethrown on its own.
   */
  on<K extends keyof QueueEvents>(event: K, listener: (event: QueueEvents[K]) => void): () => void
  /** Starts nothing new until `resume()`. Requests already on the wire finish. */
  pause(): void
  /** Undoes `pause()`: starts whatever is allowed to go next. */
  resume(): void
  /** Retries a failed or backing-off item now. Without an id, wakes every item waiting on a backoff. */
  retry(id?: string): void
  /** Drops an item. Returns false when no pending item has that id. */
  discard(id: string): boolean
  /** Drops every pending item and wipes the spool: the logout path. */
  clear(): Promise<void>
  /** Resolves when nothing is queued or in flight. */
  whenIdle(): Promise<void>
  /** Resolves once stored items have been restored. */
  readonly ready: Promise<void>
  /** Detaches listeners, stops timers and rejects pending promises with `QueueClosedError`. */
  dispose(): void
}

// Timers take a signed 32-bit delay; anything longer fires at once.
const clamp = (ms: number) => Math.min(2 ** 31 - 1, Math.max(0, ms))
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
  const o = normalize(options, {
    transport: fetchTransport,
    online: browserOnline(),
    clock: systemClock,
  })
  const { clock, spool, transport, beforeSend } = o
  const events = emitter<QueueEvents>()
  const progress = progressEvents(clock, events)
  const listeners = new Set<() => void>()
  const keys = new Map<string, Item>()
  const prefix = Math.random().toString(36).slice(2, 8)
  let seq = 0
  let head: Item | undefined
  let tail: Item | undefined
  let count = 0
  let active = 0
  let reads = 0
  let paused = false
  let closed = false
  let restoring = !!spool
  let epoch = 0
  let online = o.online.isOnline()
  let version = 0
  let snapVersion = -1
  let snapshot: QueueSnapshot | undefined
  let notifying = false
  let watchdog: unknown
  let watchdogAt = Number.POSITIVE_INFINITY
  let idle: [() => void, (e: unknown) => void][] = []
  let unstored: Item[] = []

  const defaults: ItemDefaults = {
    retry: o.retry,
    timeout: o.timeout,
    throwHttpErrors: o.throwHttpErrors,
    idempotency: o.idempotency,
    spool: !!spool,
  }

  // ---- change notification -------------------------------------------------------------------

  function touch(it?: Item) {
    if (it) it.info = undefined
    version++
    if (!notifying && listeners.size) {
      notifying = true
      queueMicrotask(() => {
        notifying = false
        for (const l of listeners) {
          // A throwing listener must not keep the others from hearing the change.
          try {
            l()
          } catch (error) {
            queueMicrotask(() => {
              throw error
            })
          }
        }
      })
    }
  }

  function checkIdle() {
    if (!count && !active && idle.length) {
      const waiting = idle
      idle = []
      for (const [resolve] of waiting) resolve()
    }
  }

  // ---- the lane ----------------------------------------------------------------------------

  function link(it: Item) {
    it.prev = tail
    if (tail) tail.next = it
    else head = it
    tail = it
    count++
  }

  function unlink(it: Item) {
    if (it.prev) it.prev.next = it.next
    else if (head === it) head = it.next
    else return
    if (it.next) it.next.prev = it.prev
    else tail = it.prev
    it.prev = it.next = undefined
    count--
  }

  /** Starts whatever the readers–writer barrier allows, scanning from the head. */
  function pump() {
    if (paused || closed || restoring || !online) return
    for (let it = head; it; it = it.next) {
      if (it.kind === 'write') {
        if (it === head && it.state === 'queued') send(it)
        return
      }
      if (it.state === 'queued') {
        if (reads >= o.maxParallelReads) return
        send(it)
      } else if (it.state === 'failed') return
    }
  }

  /** The item is settled for good: take it out and forget it. */
  function finish(it: Item) {
    unlink(it)
    // A finished item may sit in the old generation until the next full collection; what it
    // still points to would be promoted with it.
    it.req = undefined
    if (it.dedupe !== undefined && keys.get(it.kind + it.dedupe) === it)
      keys.delete(it.kind + it.dedupe)
    if (it.timer !== undefined) clock.clearTimeout(it.timer)
    it.signal?.removeEventListener('abort', it.onAbort!)
    persist?.forget(it)
    touch()
    checkIdle()
  }

  // ---- attempts ----------------------------------------------------------------------------

  function arm(at: number) {
    if (watchdog !== undefined) clock.clearTimeout(watchdog)
    watchdogAt = at
    watchdog = clock.setTimeout(fire, clamp(at - clock.now()))
    ;(watchdog as { unref?: () => void }).unref?.()
  }

  function fire() {
    watchdog = undefined
    watchdogAt = Number.POSITIVE_INFINITY
    const now = clock.now()
    let next = Number.POSITIVE_INFINITY
    // Only the front of the lane can be on the wire: the head write, or the reads before the
    // first write. Scanning it costs less than keeping a set of timed attempts.
    for (let it = head; it; ) {
      const after = it.next
      if (it.att && it.timeout !== false) {
        if (it.deadline <= now) cut(it, new TimeoutError(it.req, it.timeout), true)
        else next = Math.min(next, it.deadline)
      }
      if (it.kind === 'write') break
      it = after
    }
    if (next < watchdogAt) arm(next)
  }

  /**
   * Aborts the attempt. A caller's abort waits for the transport to return, so nothing overlaps
   * on the wire; `force` (timeout, dispose) settles it at once, even when the transport ignores
   * its signal or `beforeSend` hangs.
   */
  function cut(it: Item, reason: unknown, force?: boolean) {
    const a = it.att
    if (!a || a.over) return
    if (a.reason === undefined) {
      a.reason = reason
      a.ctrl?.abort(reason)
    }
    if (force) end(it, a, false, reason)
  }

  function send(it: Item) {
    const a = (it.att = new Attempt(it, ++it.attempts, progress))
    it.state = 'sending'
    it.req = undefined
    active++
    if (it.kind === 'read') reads++
    touch(it)
    // One watchdog timer serves every attempt, instead of a timer per attempt. The deadline
    // covers beforeSend too: a token refresh that hangs must not block the lane.
    if (it.timeout !== false) {
      it.deadline = clock.now() + it.timeout
      if (it.deadline < watchdogAt) arm(it.deadline)
    }
    if (it.pending || beforeSend)
      prepare(it, a).then(
        () => go(it, a),
        (e) => end(it, a, false, e),
      )
    else go(it, a)
  }

  async function prepare(it: Item, a: Attempt) {
    if (it.pending) await it.pending
    const req = (it.req = buildRequest(it, a, !!beforeSend))
    if (beforeSend) it.req = (await beforeSend(req, info(it))) || req
  }

  // Callbacks rather than async/await here: this runs once per attempt, and every await and
  // wrapper promise is garbage that a long queue pays for in collection time.
  function go(it: Item, a: Attempt) {
    if (a.reason !== undefined) return end(it, a, false, a.reason)
    const req = it.req ?? (it.req = buildRequest(it, a, false))
    let pending: Promise<Response>
    try {
      pending = Promise.resolve(transport(req, a))
    } catch (e) {
      return end(it, a, false, e)
    }
    pending.then(
      (res) => end(it, a, true, res),
      (e) => end(it, a, false, e),
    )
  }

  function end(it: Item, a: Attempt, ok: boolean, value: unknown) {
    if (a.over) return
    a.over = true
    it.att = undefined
    active--
    if (it.kind === 'read') reads--
    if (closed) return
    if (it.done) finish(it)
    else {
      const verdict = judge(it, ok, value, a.reason, clock)
      if (!('error' in verdict)) deliver(it, verdict)
      else if (verdict.delay !== undefined) wait(it, verdict.error, verdict.delay)
      else fail(it, verdict.error)
    }
    touch(it)
    checkIdle()
    pump()
  }

  /** Parks the item at its place until the backoff ends or the connection comes back. */
  function wait(it: Item, error: Error, delay: number) {
    it.state = 'retrying'
    it.error = error
    it.nextAttemptAt = clock.now() + delay
    it.timer = clock.setTimeout(() => {
      it.timer = undefined
      wake(it)
      pump()
    }, clamp(delay))
    touch(it)
    events.emit('retrying', { item: info(it), error, delay })
  }

  function wake(it: Item) {
    if (it.state !== 'retrying') return
    if (it.timer !== undefined) clock.clearTimeout(it.timer)
    it.timer = it.nextAttemptAt = undefined
    it.state = 'queued'
    touch(it)
  }

  function deliver(it: Item, res: Response) {
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
    if (it.state === 'sending') cut(it, error)
    else finish(it)
    touch(it)
  }

  // ---- spool -------------------------------------------------------------------------------

  const persist = spool?.[ATTACH](spool, {
    events,
    defaults,
    now: () => clock.now(),
    touch,
    holder: (key) => keys.get(key),
  })

  /** Puts restored items ahead of everything enqueued while loading, in their original order. */
  function restore(items: Item[]) {
    // New items continue the stored sequence, so the next page still orders them after these
    // when `at` ties (a fast reload, a clock that did not move).
    for (const it of items) if (it.seq > seq) seq = it.seq
    for (const it of unstored) it.seq = ++seq
    const firstNew = head
    for (const it of items) {
      if (!firstNew) link(it)
      else {
        it.next = firstNew
        it.prev = firstNew.prev
        if (firstNew.prev) firstNew.prev.next = it
        else head = it
        firstNew.prev = it
        count++
      }
      if (it.dedupe !== undefined && !keys.has(it.kind + it.dedupe))
        keys.set(it.kind + it.dedupe, it)
    }
    if (items.length) events.emit('restored', { items: items.map(info) })
  }

  const ready: Promise<void> = persist
    ? Promise.resolve()
        .then(() => {
          const at = epoch
          return persist.load().then((items) => {
            if (at === epoch && !closed) restore(items)
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
        })
    : Promise.resolve()

  const stopOnline = o.online.subscribe((isOnline) => {
    online = isOnline
    if (isOnline) for (let it = head; it; it = it.next) wake(it)
    touch()
    pump()
  })

  // ---- public API --------------------------------------------------------------------------

  function find(id: string): Item | undefined {
    for (let it = head; it; it = it.next) if (it.id === id && !it.done) return it
  }

  function enqueue(input: RequestInfo | URL, init?: QueueInit): Promise<Response> {
    // Like every other outcome but bad input, these must not surface as unhandled rejections.
    if (closed) return handled(new QueueClosedError())
    const signal = init?.signal ?? undefined
    if (signal?.aborted) return handled(signal.reason)
    let it: Item
    try {
      it = createItem(input, init, defaults, prefix + ++seq, seq, clock.now())
    } catch (e) {
      return Promise.reject(e)
    }
    let resolve!: (r: Response) => void
    let reject!: (e: unknown) => void
    const promise = new Promise<Response>((res, rej) => {
      resolve = res
      reject = rej
    })
    it.waiter = [promise, resolve, reject]
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
    link(it)
    if (it.persist) {
      if (restoring) unstored.push(it)
      else persist!.store(it)
    }
    touch()
    pump()
    return promise
  }

  function supersede(it: Item) {
    const key = it.kind + it.dedupe
    const old = keys.get(key)
    keys.set(key, it)
    if (!old || old.done) return
    const inFlightRead = old.state === 'sending' && old.kind === 'read'
    // A write that once failed without an answer may have reached the server and be applied
    // late; replacing it could let the older save land after the newer one. It goes first.
    const inDoubt = old.kind === 'write' && old.netFails > 0
    if ((old.state !== 'queued' && old.state !== 'retrying' && !inFlightRead) || inDoubt) return
    const own = old.waiter
    // Adopt the old list instead of copying it: a long run of replacements stays O(1) each.
    it.more = it.more ? it.more.concat(waiters(old)) : waiters(old)
    // Its caller can still abort its own call; the replacing item goes on for the others.
    const signal = old.signal
    if (own && signal)
      signal.addEventListener(
        'abort',
        () => {
          own[0].catch(noop)
          own[2](signal.reason)
        },
        { once: true },
      )
    events.emit('superseded', { item: info(old), by: info(it) })
    old.done = true
    if (inFlightRead) cut(old, abortError('Superseded by a newer request with the same dedupe key'))
    else finish(old)
  }

  function snap(): QueueSnapshot {
    const items: ItemInfo[] = []
    let sending = false
    for (let it = head; it; it = it.next) {
      items.push(info(it))
      if (it.state === 'sending') sending = true
    }
    return Object.freeze({
      items: Object.freeze(items),
      pending: items.length,
      online,
      paused,
      status: paused
        ? 'paused'
        : !items.length
          ? 'idle'
          : sending || restoring
            ? 'busy'
            : 'waiting',
    })
  }

  const queue: FetchQueue = {
    fetch: enqueue,
    ready,
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getSnapshot() {
      if (snapVersion !== version) {
        snapshot = snap()
        snapVersion = version
      }
      return snapshot!
    },
    on: events.on,
    pause() {
      paused = true
      touch()
    },
    resume() {
      paused = false
      touch()
      pump()
    },
    retry(id) {
      if (id === undefined) for (let it = head; it; it = it.next) wake(it)
      else {
        const it = find(id)
        if (it?.state === 'failed') {
          it.state = 'queued'
          it.error = undefined
          it.netFails = it.statusFails = 0
          touch(it)
        } else if (it) wake(it)
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
      for (let it = head; it; ) {
        const next = it.next
        if (it.stored) it.stored = false
        drop(it, reason)
        it = next
      }
      unstored = []
      keys.clear()
      await persist?.clear()
      pump()
    },
    whenIdle() {
      // After dispose() nothing will ever settle what is left: say so instead of hanging.
      if (closed) return Promise.reject(new QueueClosedError())
      if (!count && !active) return Promise.resolve()
      return new Promise((resolve, reject) => idle.push([resolve, reject]))
    },
    dispose() {
      if (closed) return
      closed = true
      stopOnline()
      if (watchdog !== undefined) clock.clearTimeout(watchdog)
      const error = new QueueClosedError()
      for (let it = head; it; it = it.next) {
        if (it.timer !== undefined) clock.clearTimeout(it.timer)
        it.signal?.removeEventListener('abort', it.onAbort!)
        rejectAll(it, error)
        cut(it, error, true)
      }
      head = tail = undefined
      count = 0
      keys.clear()
      for (const [, reject] of idle) reject(error)
      idle = []
      persist?.dispose()
      listeners.clear()
      events.clear()
    },
  }
  return Object.assign(queue, { [HOST]: { clock, online: o.online, retry: o.retry } })
}
