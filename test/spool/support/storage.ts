import type { StorageLike } from '../../../src/index.ts'

export interface FakeStorage extends Storage {
  /** Every key and value, in insertion order. */
  readonly data: Map<string, string>
  /** setItem calls and the characters they wrote (key + value). */
  readonly writes: number
  readonly charsWritten: number
  readonly removes: number
  /** Makes every following setItem throw this (until set back to undefined). */
  failSet: unknown
}

export interface FakeStorageOptions {
  /** Bytes (2 per character of key and value, as browsers count) before setItem throws a quota error. */
  quota?: number
  /** What setItem throws when the quota is hit. Default: a DOMException-like `{ name: 'QuotaExceededError' }`. */
  quotaError?: () => unknown
}

/** An in-memory `Storage` with the browser's semantics (strings only, quota), counting its writes. */
export function fakeStorage(options: FakeStorageOptions = {}): FakeStorage {
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
    failSet: undefined as unknown,
    get length() {
      return data.size
    },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(String(k)) ?? null,
    setItem(k: string, v: string) {
      if (storage.failSet !== undefined) throw storage.failSet
      const key = String(k)
      const value = String(v)
      if (options.quota !== undefined) {
        const old = data.get(key)
        const after = used() + 2 * (value.length - (old?.length ?? -key.length))
        if (after > options.quota)
          throw (
            options.quotaError?.() ?? {
              name: 'QuotaExceededError',
              message: 'The quota has been exceeded.',
            }
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

/** A storage whose every member throws, like `localStorage` in a sandboxed iframe or with cookies blocked. */
export function throwingStorage(): StorageLike {
  const fail = () => {
    throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' })
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
