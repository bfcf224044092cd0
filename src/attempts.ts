import { TimeoutError } from './errors.ts'
import { type AttemptState, type Item, info, rare } from './item.ts'
import type { Mint } from './key.ts'
import type { QueueOptions } from './options.ts'
import { buildRequest } from './request.ts'
import type {
  Clock,
  ItemInfo,
  QueueRequest,
  TransferProgress,
  Transport,
  TransportContext,
} from './types.ts'

type BeforeSend = NonNullable<QueueOptions['beforeSend']>

/**
 * One attempt. Its AbortController is made only when someone reads the signal: in Node, creating
 * an AbortSignal costs more than the rest of an attempt together.
 */
export class Attempt implements TransportContext, AttemptState {
  _over?: boolean
  _ctrl?: AbortController
  _reason?: unknown
  /** When it started, clock milliseconds. */
  at = 0
  /** When its timeout cuts it short, clock milliseconds. */
  _deadline = 0
  _req?: QueueRequest
  /** The last `progress` event per direction: loaded, total, and when (see progress.ts). */
  _sent?: Record<string, [loaded: number, total: number | undefined, at: number]>

  constructor(
    readonly _it: Item,
    readonly attempt: number,
    readonly _onProgress: (a: Attempt, progress: TransferProgress) => void,
  ) {}

  progress(progress: TransferProgress): void {
    if (!this._over) this._onProgress(this, progress)
  }

  // The attempt doubles as the transport's context: one object less per attempt.
  get signal(): AbortSignal {
    if (!this._ctrl) {
      this._ctrl = new AbortController()
      if (this._reason !== undefined) this._ctrl.abort(this._reason)
    }
    return this._ctrl.signal
  }

  get item(): ItemInfo {
    return info(this._it)
  }
}

export interface AttemptHost {
  clock: Clock
  transport: Transport
  beforeSend: BeforeSend | undefined
  mint: Mint
  /** The attempt is over, with the transport's result or why it failed; the queue judges it. */
  _ended(it: Item, ok: boolean, value: unknown, a: Attempt): void
  /** The item's public info changed. */
  _touch(it: Item): void
  /** A backoff ended: the item may be attempted again. */
  _woke(it: Item): void
  /** Turns a transport's progress reports into events. */
  progress: (a: Attempt, progress: TransferProgress) => void
}

// Timers take a signed 32-bit delay; anything longer fires at once.
export const clamp = (ms: number) => Math.min(2 ** 31 - 1, Math.max(0, ms))

/**
 * Runs attempts: send → `beforeSend` → transport → result, with one watchdog timer for every
 * attempt's timeout, instead of a timer per attempt (the deadline covers `beforeSend` too: a
 * token refresh that hangs must not block the lane), and the backoff timer of each item waiting
 * to be retried.
 */
export function createAttempts(h: AttemptHost) {
  const { clock } = h
  // Items on the wire: never more than `maxParallel`, so a short array beats a Set's hashing.
  const inFlight: Item[] = []
  let watchdog: unknown
  let watchdogAt = Infinity

  function arm(at: number) {
    if (watchdog !== undefined) clock.clearTimeout(watchdog)
    watchdogAt = at
    watchdog = clock.setTimeout(fire, clamp(at - clock.now()))
    ;(watchdog as { unref?: () => void }).unref?.()
  }

  function fire() {
    watchdog = undefined
    watchdogAt = Infinity
    const now = clock.now()
    let next = Infinity
    // A copy: each cut takes its item out of the array.
    for (const it of [...inFlight]) {
      const a = it._att as Attempt
      if (it.timeout === false) continue
      if (a._deadline <= now) {
        const cause = new DOMException(
          `The attempt timed out after ${it.timeout} ms`,
          'TimeoutError',
        )
        cut(it, cause, new TimeoutError(a._req, it.timeout, cause))
      } else next = Math.min(next, a._deadline)
    }
    if (next < watchdogAt) arm(next)
  }

  /**
   * Aborts the attempt's signal with `reason`. A caller's abort waits for the transport to
   * return, so nothing overlaps on the wire; with an `outcome` (timeout, dispose) the attempt
   * ends at once with it, even when the transport ignores its signal or `beforeSend` hangs.
   */
  function cut(it: Item, reason: unknown, outcome?: unknown) {
    const a = it._att as Attempt | undefined
    if (!a || a._over) return
    if (a._reason === undefined) {
      a._reason = reason
      a._ctrl?.abort(reason)
    }
    if (outcome !== undefined) end(it, a, false, outcome)
  }

  function send(it: Item) {
    const a = new Attempt(it, ++it.attempts, h.progress)
    const now = (a.at = clock.now())
    it._att = a
    it.state = 'sending'
    inFlight.push(it)
    if (it.timeout !== false) {
      a._deadline = now + it.timeout
      if (a._deadline < watchdogAt) arm(a._deadline)
    }
    if (it._pending || h.beforeSend)
      prepare(it, a).then(
        () => go(it, a),
        (e) => end(it, a, false, e),
      )
    else go(it, a)
  }

  async function prepare(it: Item, a: Attempt) {
    if (it._pending) await it._pending
    const req = (a._req = buildRequest(it, h.mint, a, !!h.beforeSend))
    if (h.beforeSend) a._req = (await h.beforeSend(req, info(it))) || req
  }

  // Callbacks rather than async/await here: this runs once per attempt, and every await and
  // wrapper promise is garbage that a long queue pays for in collection time.
  function go(it: Item, a: Attempt) {
    if (a._reason !== undefined) return end(it, a, false, a._reason)
    const req = (a._req ??= buildRequest(it, h.mint, a, false))
    let pending: Promise<Response>
    try {
      pending = Promise.resolve(h.transport(req, a))
    } catch (e) {
      return end(it, a, false, e)
    }
    pending.then(
      (res) => end(it, a, true, res),
      (e) => end(it, a, false, e),
    )
  }

  function end(it: Item, a: Attempt, ok: boolean, value: unknown) {
    if (a._over) return
    a._over = true
    it._att = undefined
    const i = inFlight.indexOf(it)
    const last = inFlight.pop()!
    if (last !== it) inFlight[i] = last
    h._ended(it, ok, value, a)
  }

  /** Parks the item at its place until the backoff ends or the connection comes back. */
  function backOff(it: Item, error: Error | undefined, delay: number) {
    it.state = 'retrying'
    const r = rare(it)
    r._error = error
    r._nextAttemptAt = clock.now() + delay
    r._timer = clock.setTimeout(() => {
      r._timer = undefined
      wake(it)
      h._woke(it)
    }, clamp(delay))
    h._touch(it)
  }

  /** Ends a backoff now: the item is queued again. */
  function wake(it: Item) {
    if (it.state !== 'retrying') return
    stopTimer(it)
    // Only _backOff() makes an item `retrying`, and it fills the rare fields.
    it._rare!._nextAttemptAt = undefined
    it.state = 'queued'
    h._touch(it)
  }

  function stopTimer(it: Item) {
    const r = it._rare
    if (r?._timer !== undefined) {
      clock.clearTimeout(r._timer)
      r._timer = undefined
    }
  }

  return {
    send,
    cut,
    _backOff: backOff,
    wake,
    _stopTimer: stopTimer,
    _inFlight: inFlight,
    /** Ends every attempt on the wire with `reason`, as a dropped connection. */
    _cutAll(reason: unknown) {
      // Ending an attempt takes it out of the array and may let another start: cut until none is left.
      while (inFlight.length) cut(inFlight[0]!, reason, reason)
    },
    stop() {
      if (watchdog !== undefined) clock.clearTimeout(watchdog)
      watchdog = undefined
    },
  }
}

export type Attempts = ReturnType<typeof createAttempts>
