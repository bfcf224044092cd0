import type { QueueInit } from '../options.ts'
import type { SseEvent } from './sse.ts'

/** The request fields a watch passes on to `queue.fetch`; it sets the rest itself. */
export type WatchInit = Omit<
  QueueInit,
  'signal' | 'dedupe' | 'kind' | 'retry' | 'throwHttpErrors' | 'persist' | 'idempotencyKey'
>

/** Options of `watch(queue, url, options?)`. Invalid ones throw a `TypeError` naming the option. */
export interface WatchOptions<T = unknown> {
  /**
   * Milliseconds from the end of one poll to the start of the next: never a fixed beat, so polls
   * never pile up behind a slow answer. Default 1000.
   */
  interval?: number
  /** The queue lane the requests join (see the queue's lanes). Default: the default lane. */
  lane?: string
  /**
   * `'pause'` (default): no poll, and no reconnect, while the page is hidden; an open stream stays
   * open. The watch asks at once when the page is visible again. `'continue'`: keep going.
   */
  whenHidden?: 'pause' | 'continue'
  /**
   * Turns a poll's body into `data`. Default `JSON.parse`.
   * @example parse: (text) => text // a plain-text endpoint
   */
  parse?: (text: string) => T
  /**
   * Folds one server-sent event into `data`. Default: the event's data through `parse`, so each
   * event replaces the state.
   * @example reduce: (messages = [], event) => [...messages, JSON.parse(event.data)]
   */
  reduce?: (data: T | undefined, event: SseEvent) => T
  /**
   * When new data counts as unchanged, so it notifies no one and keeps the snapshot.
   * `'json'` (default): structurally equal parsed values. `'text'`: a poll's body is the same text
   * as the last one (it is not even parsed). Or your own `(previous, next) => boolean`.
   */
  compare?: 'json' | 'text' | ((previous: T, next: T) => boolean)
  /** Request fields (`headers`, `credentials`, `timeout`, …) for every poll and connection. */
  init?: WatchInit
  /**
   * Whether the page is visible, asked before each poll or reconnect. Default:
   * `document.visibilityState !== 'hidden'` (always true without a document). The watch learns
   * that the page is visible again from the queue's online source, which says "try now" then.
   */
  isVisible?: () => boolean
}

export interface Settings<T> {
  interval: number
  lane: string | undefined
  pause: boolean
  parse: (text: string) => T
  reduce: (data: T | undefined, event: SseEvent) => T
  compare: 'json' | 'text' | ((previous: T, next: T) => boolean)
  init: WatchInit
  headers: Headers
  isVisible: () => boolean
}

const bad = (name: string, expected: string, got: unknown): TypeError =>
  new TypeError(
    `fetch-queue: option \`${name}\` must be ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`,
  )

const fn = (v: unknown) => typeof v === 'function'

function check(name: string, value: unknown, ok: boolean, expected: string) {
  if (value !== undefined && !ok) throw bad(name, expected, value)
}

/** Applies the defaults. Throws a TypeError naming the option, as `createQueue` does. */
export function settings<T>(o: WatchOptions<T> = {}): Settings<T> {
  const { interval, lane, whenHidden, parse, reduce, compare, init, isVisible } = o
  check('interval', interval, typeof interval === 'number' && interval >= 0, 'a number ≥ 0')
  check('lane', lane, typeof lane === 'string', 'a string')
  check(
    'whenHidden',
    whenHidden,
    whenHidden === 'pause' || whenHidden === 'continue',
    "'pause' or 'continue'",
  )
  check('parse', parse, fn(parse), 'a function')
  check('reduce', reduce, fn(reduce), 'a function')
  check(
    'compare',
    compare,
    compare === 'json' || compare === 'text' || fn(compare),
    "'json', 'text' or a function",
  )
  check('init', init, typeof init === 'object' && init !== null, 'an object')
  check('isVisible', isVisible, fn(isVisible), 'a function')
  // Invalid headers throw the TypeError `fetch` would.
  const headers = new Headers(init?.headers)
  const read = parse ?? (JSON.parse as (text: string) => T)
  return {
    interval: interval ?? 1000,
    lane,
    pause: whenHidden !== 'continue',
    parse: read,
    reduce: reduce ?? ((_, event) => read(event.data)),
    compare: compare ?? 'json',
    init: init ?? {},
    headers,
    isVisible: isVisible ?? (() => globalThis.document?.visibilityState !== 'hidden'),
  }
}
