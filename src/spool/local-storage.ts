import { systemClock } from '../env/clock.ts'
import { browserLocks, type LockManagerLike } from '../env/locks.ts'
import { SpoolError } from '../errors.ts'
import { optionError } from '../http.ts'
import type { Clock } from '../types.ts'
import { defineSpool } from './define.ts'
import { partitions } from './partitions.ts'
import { CREDENTIAL_HEADERS, type SpoolRecord } from './record.ts'
import type { DefinedSpool, SpoolLoad } from './types.ts'
import { checkRecord } from './validate.ts'

/** What the spool needs of `localStorage`. Any object with these members works, e.g. a counting wrapper. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

/** Options of `localStorageSpool`. Only `key` is required. */
export interface LocalStorageSpoolOptions {
  /**
   * Names the user and the document, so one user's writes are never replayed under another's
   * login, e.g. `editor:${userId}:${projectId}`. Each record is stored under
   * `${key}/${partition}/${id}`.
   */
  key: string
  /** Default: `globalThis.localStorage`, read when the queue starts. */
  storage?: StorageLike
  /**
   * Largest record stored, counted as browsers count quota: 2 bytes per character of storage key
   * and JSON. Larger items are sent from memory. Default 1 MiB, a fifth of the usual 5 MiB quota
   * an origin shares with everything else it stores.
   */
  maxItemBytes?: number
  /** Milliseconds after which a stored write is not sent but raises `expired`. Default 24 h. */
  maxAge?: number
  /**
   * Origins besides the page's own whose stored requests may be sent, e.g.
   * `['https://api.example.com']`. Where there is no `location`, only these (if given) are sent.
   */
  allowedOrigins?: readonly string[]
  /** Header names never stored, besides authorization, cookie, proxy-authorization, x-csrf-token and x-xsrf-token. */
  redactHeaders?: readonly string[]
  /** Default: `navigator.locks`, read when the queue starts. `null`: no locking; this instance takes every stored write. */
  locks?: LockManagerLike | null
  /**
   * Where the tab notes its partitions, so that its next page (a reload) waits for the old page to
   * let go of them, at most 2 s, and restores their writes ahead of anything new. Default:
   * `globalThis.sessionStorage` (one per tab, kept across reloads). `null`: no note; a reloaded
   * page then takes its writes back 2 s after the old page has gone, behind what it sent meanwhile.
   */
  session?: StorageLike | null
}

const MiB = 1 << 20
const PARTITION = /^[a-z\d]+$/

const bad = optionError

const positive = (v: unknown, name: string, fallback: number): number => {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !(v > 0)) throw bad(name, 'a number > 0', v)
  return v
}

// Browsers disagree on how they say "full": Firefox used its own name, old WebKit only the code.
const isQuota = (e: any) =>
  e?.name === 'QuotaExceededError' ||
  e?.name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
  e?.code === 22 ||
  e?.code === 1014

/**
 * Stores pending writes in `localStorage`, one storage key per record, so storing or deleting
 * one write costs that write only. Each instance owns a partition under an exclusive Web Lock and
 * adopts partitions whose tab is gone, so every stored write is sent by exactly one tab.
 */
export function localStorageSpool(options: LocalStorageSpoolOptions): DefinedSpool {
  const o = options ?? ({} as LocalStorageSpoolOptions)
  if (typeof o.key !== 'string' || !o.key) throw bad('key', 'a non-empty string', o.key)
  const maxItemBytes = positive(o.maxItemBytes, 'maxItemBytes', MiB)
  const maxAge = positive(o.maxAge, 'maxAge', 86_400_000)
  if (o.redactHeaders !== undefined && !Array.isArray(o.redactHeaders))
    throw bad('redactHeaders', 'an array of header names', o.redactHeaders)
  if (o.allowedOrigins !== undefined && !Array.isArray(o.allowedOrigins))
    throw bad('allowedOrigins', 'an array of origins', o.allowedOrigins)
  const redactHeaders = (o.redactHeaders ?? []).map((h) => String(h).toLowerCase())
  const allowed = o.allowedOrigins?.map((a) => {
    try {
      return new URL(a).origin
    } catch {
      throw bad('allowedOrigins', 'a list of origins like "https://api.example.com"', a)
    }
  })
  const drop = [...CREDENTIAL_HEADERS, ...redactHeaders]
  const prefix = `${o.key}/`

  /** Storage key of every record this instance owns, by record id. */
  const keys = new Map<string, string>()
  let own: string | undefined
  let release: (() => void) | undefined
  let unlisten: (() => void) | undefined
  let onAdopted: ((load: SpoolLoad) => void) | undefined
  /** Partitions taken over before the queue listened. */
  const pending: SpoolLoad[] = []
  let timers: Clock | undefined
  let generation = 0

  const storage = (): StorageLike => {
    let s: StorageLike | undefined
    try {
      s = o.storage ?? globalThis.localStorage
    } catch (cause) {
      // Safari with cookies blocked, sandboxed iframes: the getter itself throws a SecurityError.
      throw new SpoolError('unavailable', 'localStorage cannot be accessed', { cause })
    }
    if (!s) throw new SpoolError('unavailable', 'localStorage is not available')
    return s
  }

  const guard = <T>(what: string, run: () => T): T => {
    try {
      return run()
    } catch (cause) {
      if ((cause as Error)?.name === 'SpoolError') throw cause
      throw isQuota(cause)
        ? new SpoolError('quota', `Storage is full: ${what}`, { cause })
        : new SpoolError('unavailable', `Storage failed: ${what}`, { cause })
    }
  }

  /** Partition → storage keys of its records, for every well-formed key under the prefix. */
  const scan = (s: StorageLike) => {
    const found = new Map<string, string[]>()
    for (let i = 0, n = s.length; i < n; i++) {
      const k = s.key(i)
      if (!k?.startsWith(prefix)) continue
      const [part, id, more] = k.slice(prefix.length).split('/')
      if (more !== undefined || !id || !PARTITION.test(part!)) continue
      let list = found.get(part!)
      if (!list) found.set(part!, (list = []))
      list.push(k)
    }
    return found
  }

  /** The records of the partitions this instance holds; bad ones are set aside. */
  function read(s: StorageLike, mine: Set<string>): SpoolLoad {
    const records: SpoolRecord[] = []
    const errors: SpoolError[] = []
    const origin = globalThis.location?.origin
    const check = { origin: origin === 'null' ? undefined : origin, allowed, redact: drop }
    for (const [p, list] of guard('reading', () => scan(s)))
      if (mine.has(p))
        for (const k of list) {
          try {
            const text = guard('reading', () => s.getItem(k))
            if (text == null) continue
            if (2 * (k.length + text.length) > maxItemBytes)
              throw new SpoolError('too-large', 'Stored record set aside: over maxItemBytes')
            const r = checkRecord(text, check)
            if (decodeURIComponent(k.slice(k.lastIndexOf('/') + 1)) !== r.id)
              throw new SpoolError('invalid', 'Stored record set aside: id does not match its key')
            if (keys.has(r.id))
              throw new SpoolError(
                'invalid',
                `Stored record set aside: a second copy of record ${r.id}`,
              )
            keys.set(r.id, k)
            records.push(r)
          } catch (error) {
            // Set aside: left where it is, never sent, reported on each start until clear().
            // Anything else thrown (a malformed %-escape in the key) is a bad record too.
            const e =
              (error as Error).name === 'SpoolError'
                ? (error as SpoolError)
                : new SpoolError('invalid', 'Stored record set aside', { cause: error })
            e.message += ` (${k})`
            errors.push(e)
          }
        }
    return { records, errors }
  }

  return defineSpool({
    name: 'localStorage',
    redactHeaders,
    maxAge,
    allowedOrigins: allowed,

    async load(): Promise<SpoolLoad> {
      const s = storage()
      const gen = ++generation
      const closed = () => {
        if (gen !== generation)
          throw new SpoolError('failed', 'The spool was disposed while loading')
      }
      const parts = partitions(
        prefix,
        o.locks === undefined ? browserLocks() : o.locks,
        o.session,
        timers ?? systemClock,
      )
      release = parts.release
      const part = await parts.claim()
      closed()
      own = part

      // A partition whose owner is still running is taken soon after that owner goes away.
      const taken = (p: string) => {
        if (gen !== generation) return
        let load: SpoolLoad
        try {
          load = read(s, new Set([p]))
        } catch (error) {
          load = { records: [], errors: [error as SpoolError] }
        }
        if (onAdopted) onAdopted(load)
        else pending.push(load)
      }
      // A tab opened after this one shows its partition by writing to it: the browser tells
      // every other tab of the origin with a `storage` event. Listened to before the scan, so a
      // write in between is not missed.
      const onStorage = (e: StorageEvent) => {
        const p = e.key?.startsWith(prefix) && e.key.slice(prefix.length).split('/')[0]
        if (p && PARTITION.test(p)) parts.wait(p, taken)
      }
      globalThis.addEventListener?.('storage', onStorage)
      unlisten = () => globalThis.removeEventListener?.('storage', onStorage)
      const mine = new Set<string>()
      for (const p of guard('reading', () => scan(s)).keys())
        if (p !== own) {
          if (await parts.adopt(p)) mine.add(p)
          else parts.wait(p, taken)
        }
      closed()
      // Scanned again once the locks are held: an owner that left meanwhile may have written more.
      return read(s, mine)
    },

    adopted(listener, clock) {
      onAdopted = listener
      timers = clock
      for (const load of pending.splice(0)) listener(load)
    },

    put(record) {
      const s = storage()
      if (!own) throw new SpoolError('failed', 'The spool is not loaded')
      const k = keys.get(record.id) ?? `${prefix}${own}/${encodeURIComponent(record.id)}`
      // The queue already strips these; checked again because a spool is also a public API.
      const json = JSON.stringify({
        ...record,
        headers: record.headers.filter(([name]) => !drop.includes(name.toLowerCase())),
      })
      if (2 * (k.length + json.length) > maxItemBytes)
        throw new SpoolError('too-large', `The item is over maxItemBytes (${maxItemBytes})`)
      guard(`storing ${record.method} ${record.url}`, () => s.setItem(k, json))
      keys.set(record.id, k)
    },

    delete(id) {
      const k = keys.get(id)
      if (k === undefined) return
      guard('deleting', () => storage().removeItem(k))
      keys.delete(id)
    },

    clear() {
      const s = storage()
      guard('clearing', () => {
        for (const list of scan(s).values()) for (const k of list) s.removeItem(k)
      })
      keys.clear()
    },

    dispose() {
      generation++
      release?.()
      unlisten?.()
      release = own = unlisten = onAdopted = timers = undefined
      pending.length = 0
      keys.clear()
    },
  })
}
