import type { SpoolError } from '../errors.ts'
import type { Emitter, QueueEvents } from '../events.ts'
import type { Item, ItemDefaults } from '../item.ts'
import type { Mint } from '../key.ts'
import type { Clock } from '../types.ts'
import type { SpoolRecord } from './record.ts'

/**
 * Where a spool carries the code that keeps it in step with a queue (storing, restoring, record
 * conversion). It comes with the spool rather than with `createQueue`, so an app without a spool
 * does not bundle it. A symbol, so it never clashes with a spool's own fields.
 */
export const ATTACH: unique symbol = Symbol.for('fetch-queue.spool')

/** What a spool's `load` returns. */
export interface SpoolLoad {
  /** Records this instance now owns (its own and adopted ones). The queue orders them by `at`, then `seq`. */
  records: SpoolRecord[]
  /** Records that were set aside (invalid, foreign origin, unknown version). Each raises `spoolerror`. */
  errors?: SpoolError[]
}

/**
 * Where pending writes are stored. Methods may be sync or async. The queue calls them in order
 * (an async spool must apply them in that order), calls `load` once before anything else, and
 * calls `put` only after `load` has finished. A `put` that throws or rejects does not lose the
 * write: the queue sends it from memory with `durable: false` and raises `spoolerror`.
 */
export interface Spool {
  readonly name: string
  /** Extra header names (lower case) never to store, besides the credential headers. */
  readonly redactHeaders?: readonly string[]
  /** Milliseconds. Older records are not sent: the queue raises `expired` and deletes them. */
  readonly maxAge?: number
  /**
   * Origins besides the page's own whose stored requests may be sent. `fetch-queue/jobs` polls a
   * status URL only at the page's origin, the job request's, or one of these.
   */
  readonly allowedOrigins?: readonly string[]
  /** Reads the stored records, once, before anything else. */
  load(): SpoolLoad | Promise<SpoolLoad>
  /** Stores one record, or replaces the one with its `id`. Writes that record only. */
  put(record: SpoolRecord): void | Promise<void>
  /** Deletes one record. */
  delete(id: string): void | Promise<void>
  /** Deletes every record under this spool, other tabs' and set-aside ones included (logout). */
  clear(): void | Promise<void>
  /**
   * Optional. Hands over records this spool takes over after `load`: those of a partition whose
   * owner (another tab) went away while this one was running. The queue calls it once, before
   * `load`, with its clock for any timer this needs, and sends what it is given as it sends
   * restored records.
   */
  adopted?(listener: (load: SpoolLoad) => void, clock: Clock): void
  /** Releases locks and listeners. Stored records stay. */
  dispose?(): void
}

/** What the queue lends its spool integration. */
export interface PersistHost {
  events: Emitter<QueueEvents>
  defaults: ItemDefaults
  mint: Mint
  now(): number
  clock: Clock
  _touch(it?: Item): void
  /** The live item that holds a dedupe key (kind + key), if any. */
  _holder(key: string): Item | undefined
  /**
   * Puts restored items in their lanes, in their order: at start ahead of `meanwhile` (what was
   * enqueued while the spool was read), later behind everything the queue holds.
   */
  _place(items: Item[], meanwhile?: Item[]): void
  closed(): boolean
  /** The spool has been read, or could not be: the queue may start. */
  _started(): void
}

/** Keeps a spool in step with one queue (spool/persist.ts). */
export interface Persistence {
  /** Reads the spool and places what it restores; the queue's `ready`. */
  start(): Promise<void>
  store(it: Item): void
  _forget(it: Item): void
  /** Wipes the spool; a load under way is dropped. */
  clear(): Promise<unknown> | undefined
  dispose(): void
}

/** A spool ready for `createQueue`: made by `localStorageSpool`, `memorySpool` or `defineSpool`. */
export type DefinedSpool<S extends Spool = Spool> = S & {
  /** @internal */
  readonly [ATTACH]: (spool: Spool, host: PersistHost) => Persistence
}
