import type { StorageLike } from '../spool/local-storage.ts'

/** An in-memory `Storage` that counts what it is asked to do. */
export interface MemoryStorage extends Storage {
  /** Every key and its value, in insertion order. */
  readonly data: Map<string, string>
  /** `setItem` calls that stored something, and the characters they wrote (key plus value). */
  readonly writes: number
  readonly charsWritten: number
  /** `removeItem` calls. */
  readonly removes: number
  /**
   * While set, every `setItem` throws it: a full disk, a `SecurityError`. Default undefined.
   *
   * @example
   * storage.setItemError = new DOMException('Blocked', 'SecurityError')
   */
  setItemError: unknown
}

/** Options of `memoryStorage()`. */
export interface MemoryStorageOptions {
  /**
   * Bytes the storage holds, counted as browsers count: 2 per character of every key and value.
   * A `setItem` past it throws `quotaError()`. Default: no limit.
   */
  quota?: number
  /** What `setItem` throws past the quota. Default: a `DOMException` named `QuotaExceededError`. */
  quotaError?: () => unknown
}

/**
 * An in-memory `Storage` with the browser's semantics (strings only, an optional quota), to pass
 * as `localStorageSpool({ storage })`. Two spools over the same storage are two pages of one
 * origin: dispose the first queue and open a second to test a reload.
 *
 * @example
 * const storage = memoryStorage({ quota: 5 * 1024 * 1024 })
 * const spool = localStorageSpool({ key: 'editor:u1:p1', storage, locks: null })
 */
export function memoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  const { quota, quotaError } = options
  if (quota !== undefined && !(typeof quota === 'number' && quota >= 0))
    throw new TypeError(
      `memoryStorage: option \`quota\` must be a number ≥ 0, got ${String(quota)}`,
    )
  if (quotaError !== undefined && typeof quotaError !== 'function')
    throw new TypeError(
      `memoryStorage: option \`quotaError\` must be a function, got ${String(quotaError)}`,
    )
  const data = new Map<string, string>()
  let writes = 0
  let charsWritten = 0
  let removes = 0
  const used = () => {
    let n = 0
    for (const [k, v] of data) n += k.length + v.length
    return 2 * n
  }
  const storage = {
    data,
    setItemError: undefined as unknown,
    get length() {
      return data.size
    },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(String(k)) ?? null,
    setItem(k: string, v: string) {
      if (storage.setItemError !== undefined) throw storage.setItemError
      const key = String(k)
      const value = String(v)
      if (options.quota !== undefined) {
        const old = data.get(key)
        const after = used() + 2 * (value.length - (old?.length ?? -key.length))
        if (after > options.quota)
          throw (
            options.quotaError?.() ??
            new DOMException('The quota has been exceeded.', 'QuotaExceededError')
          )
      }
      writes++
      charsWritten += key.length + value.length
      data.set(key, value)
    },
    removeItem(k: string) {
      removes++
      data.delete(String(k))
    },
    clear() {
      data.clear()
    },
    get writes() {
      return writes
    },
    get charsWritten() {
      return charsWritten
    },
    get removes() {
      return removes
    },
  }
  return storage
}

/**
 * A storage whose every member throws a `SecurityError`, like `localStorage` in a sandboxed
 * iframe or with cookies blocked. The spool then sends every write from memory with
 * `durable: false` and a `spoolerror` of code `unavailable`.
 */
export function throwingStorage(): StorageLike {
  const fail = (): never => {
    throw new DOMException('The operation is insecure.', 'SecurityError')
  }
  return {
    get length(): number {
      return fail()
    },
    key: fail,
    getItem: fail,
    setItem: fail,
    removeItem: fail,
  }
}
