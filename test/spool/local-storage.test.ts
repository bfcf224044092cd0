import { describe, expect, it, vi } from 'vitest'
import type { SpoolLoad, SpoolRecord, StorageLike } from '../../src/index.ts'
import { isSpoolError, localStorageSpool, SpoolError } from '../../src/index.ts'
import { ADOPT_GRACE } from '../../src/spool/partitions.ts'
import { RECORD_VERSION } from '../../src/spool/record.ts'
import { fakeClock } from '../support/clock.ts'
import { flush } from '../support/tick.ts'
import { lockHub } from './support/locks.ts'
import { ORIGIN, record } from './support/records.ts'
import { fakeStorage, throwingStorage } from './support/storage.ts'

const KEY = 'editor:u1:p1'

async function spoolError(run: () => unknown): Promise<SpoolError> {
  try {
    await run()
  } catch (error) {
    if (isSpoolError(error)) return error
    throw error
  }
  throw new Error('expected a SpoolError')
}

const keysOf = (storage: { data: Map<string, string> }) => [...storage.data.keys()]

/** Tab A of a fresh lock hub, its spool holding one stored write (`r`, id `a`) in `storage`. */
async function tabWithWrite<S extends StorageLike = ReturnType<typeof fakeStorage>>(
  storage: S = fakeStorage() as unknown as S,
) {
  const hub = lockHub()
  const tabA = hub.tab()
  const a = localStorageSpool({ key: KEY, storage, locks: tabA, session: null })
  await a.load()
  const r = record({ id: 'a' })
  await a.put(r)
  return { storage, hub, tabA, r }
}

/** A spool on fresh storage (or `storage`), loaded: the start of most tests here. */
async function loaded(storage = fakeStorage()) {
  const spool = localStorageSpool({ key: KEY, storage, locks: null })
  await spool.load()
  return { storage, spool }
}

describe('2.7 localStorageSpool: layout and cost', () => {
  it('2.7 stores one storage key per record, under key/partition/id', async () => {
    const { storage, spool } = await loaded()
    const a = record({ id: 'a/b c' })
    await spool.put(a)
    await spool.put(record({ id: 'x' }))
    const keys = keysOf(storage)
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^editor:u1:p1\/[a-z\d]+\/a%2Fb%20c$/)
    expect(JSON.parse(storage.data.get(keys[0]!)!)).toEqual(a)
  })

  it('2.7 cost: storing or deleting one item touches that item only, at 10 or 2,000 stored', async () => {
    for (const size of [10, 2000]) {
      const { storage, spool } = await loaded()
      for (let i = 0; i < size; i++) await spool.put(record())
      const { writes, charsWritten, removes } = storage
      await spool.put(record({ id: 'probe' }))
      const [k, v] = [...storage.data].find(([key]) => key.endsWith('/probe'))!
      expect([storage.writes - writes, storage.charsWritten - charsWritten]).toEqual([
        1,
        k.length + v.length,
      ])
      await spool.delete('probe')
      expect([storage.writes - writes, storage.removes - removes]).toEqual([1, 1])
      expect(storage.data.size).toBe(size)
    }
  })

  it('ignores storage keys that are not its own and leaves them alone on clear()', async () => {
    const storage = fakeStorage()
    const foreign = {
      [KEY]: 'the key itself',
      [`${KEY}x/p/1`]: 'a longer key',
      [`${KEY}/p/1/2`]: 'a nested key of someone else',
      [`${KEY}/P-Q/1`]: 'not a partition name',
      [`${KEY}/p/`]: 'no id',
      'other-app': '{}',
    }
    for (const [k, v] of Object.entries(foreign)) storage.setItem(k, v)
    const spool = localStorageSpool({ key: KEY, storage, locks: null })
    expect(await spool.load()).toEqual({ records: [], errors: [] })
    await spool.put(record())
    await spool.clear()
    expect(Object.fromEntries(storage.data)).toEqual(foreign)
  })

  it('exposes maxAge (default 24 h) and the extra redacted header names in lower case', () => {
    const spool = localStorageSpool({ key: KEY, redactHeaders: ['X-Api-Key'], maxAge: 60_000 })
    expect(spool.name).toBe('localStorage')
    expect(spool.maxAge).toBe(60_000)
    expect(spool.redactHeaders).toEqual(['x-api-key'])
    expect(localStorageSpool({ key: KEY }).maxAge).toBe(24 * 60 * 60 * 1000)
  })

  it('rejects bad options with a TypeError naming the option', () => {
    const make = (o: object) => () => localStorageSpool(o as never)
    expect(make({})).toThrow(
      /^fetch-queue: option `key` must be a non-empty string, got undefined$/,
    )
    expect(make({ key: '' })).toThrow(/option `key`/)
    expect(make({ key: 'k', maxItemBytes: 0 })).toThrow(
      /option `maxItemBytes` must be a number > 0/,
    )
    expect(make({ key: 'k', maxAge: -1 })).toThrow(/option `maxAge`/)
    expect(make({ key: 'k', allowedOrigins: 'https://a.test' })).toThrow(/option `allowedOrigins`/)
    expect(make({ key: 'k', allowedOrigins: ['nope'] })).toThrow(/option `allowedOrigins`.*"nope"/)
    expect(make({ key: 'k', redactHeaders: 'x-a' })).toThrow(/option `redactHeaders`/)
  })
})

describe('2.7 localStorageSpool: secrets', () => {
  it('2.7 never stores credential headers or the extra names, even when a record carries them', async () => {
    const storage = fakeStorage()
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: null,
      redactHeaders: ['X-Api-Key'],
    })
    await spool.load()
    const r = record({
      headers: [
        ['authorization', 'Bearer SECRET1'],
        ['Cookie', 'sid=SECRET2'],
        ['proxy-authorization', 'Basic SECRET3'],
        ['x-csrf-token', 'SECRET4'],
        ['x-xsrf-token', 'SECRET5'],
        ['x-api-key', 'SECRET6'],
        ['content-type', 'text/plain'],
      ],
    })
    await spool.put(r)
    const raw = [...storage.data.values()].join()
    expect(raw).not.toMatch(/SECRET/)
    expect(raw).toContain('text/plain')
  })

  it('2.7 a tampered stored record loses its credential headers on load', async () => {
    const storage = fakeStorage()
    const r = record({
      id: 'x',
      headers: [
        ['Authorization', 'Bearer planted'],
        ['x-api-key', 'planted'],
        ['accept', 'text/plain'],
      ],
    })
    storage.setItem(`${KEY}/old/x`, JSON.stringify(r))
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: null,
      redactHeaders: ['x-api-key'],
    })
    const { records } = await spool.load()
    expect(records[0]!.headers).toEqual([['accept', 'text/plain']])
  })
})

describe('2.7 localStorageSpool: storage limits', () => {
  const quotaErrors: [string, unknown][] = [
    ['name QuotaExceededError', { name: 'QuotaExceededError' }],
    ['a real DOMException', new DOMException('full', 'QuotaExceededError')],
    ['Firefox name NS_ERROR_DOM_QUOTA_REACHED', { name: 'NS_ERROR_DOM_QUOTA_REACHED' }],
    ['legacy code 22', { name: 'Error', code: 22 }],
    ['legacy Firefox code 1014', { code: 1014 }],
  ]
  it.each(quotaErrors)('2.7 a setItem failing with %s is SpoolError quota', async (_, thrown) => {
    const { storage, spool } = await loaded()
    storage.failSet = thrown
    const error = await spoolError(() => spool.put(record()))
    expect(error.code).toBe('quota')
    expect(error.cause).toBe(thrown)
  })

  it('2.7 a setItem failing otherwise is SpoolError unavailable, with the cause', async () => {
    const { storage, spool } = await loaded()
    const thrown = new TypeError('weird')
    storage.failSet = thrown
    const error = await spoolError(() => spool.put(record()))
    expect([error.code, error.cause]).toEqual(['unavailable', thrown])
  })

  it('2.7 a storage that is full for real reports quota, and the record can be deleted later', async () => {
    const { storage, spool } = await loaded(fakeStorage({ quota: 2000 }))
    const stored: SpoolRecord[] = []
    let error: SpoolError | undefined
    for (let i = 0; i < 20 && !error; i++) {
      const r = record()
      try {
        await spool.put(r)
        stored.push(r)
      } catch (e) {
        error = e as SpoolError
      }
    }
    expect(error?.code).toBe('quota')
    expect(stored.length).toBeGreaterThan(0)
    for (const r of stored) await spool.delete(r.id)
    expect(storage.data.size).toBe(0)
  })

  it('2.7 a record over maxItemBytes is SpoolError too-large and nothing is written', async () => {
    const storage = fakeStorage()
    const spool = localStorageSpool({ key: KEY, storage, locks: null, maxItemBytes: 1000 })
    await spool.load()
    await spool.put(record({ body: { t: 'text', v: 'x'.repeat(100) } }))
    const error = await spoolError(() =>
      spool.put(record({ body: { t: 'text', v: 'x'.repeat(500) } })),
    )
    expect(error.code).toBe('too-large')
    expect(error.message).toMatch(/over maxItemBytes \(1000\)/)
    expect(storage.data.size).toBe(1)
  })

  it('2.7 the default maxItemBytes is 1 MiB, counted as 2 bytes per character', async () => {
    const { spool } = await loaded()
    await spool.put(record({ body: { t: 'text', v: 'x'.repeat(500_000) } }))
    const error = await spoolError(() =>
      spool.put(record({ body: { t: 'text', v: 'x'.repeat(530_000) } })),
    )
    expect(error.code).toBe('too-large')
  })

  it('2.7 no localStorage at all (Node, some WebViews): load and put fail with unavailable', async () => {
    expect(globalThis.localStorage).toBeUndefined()
    const spool = localStorageSpool({ key: KEY, locks: null })
    expect((await spoolError(() => spool.load())).code).toBe('unavailable')
    expect((await spoolError(() => spool.put(record()))).code).toBe('unavailable')
  })

  it('2.7 a storage that throws on access (sandboxed iframe, blocked cookies) is unavailable', async () => {
    const spool = localStorageSpool({ key: KEY, storage: throwingStorage(), locks: null })
    const error = await spoolError(() => spool.load())
    expect(error.code).toBe('unavailable')
    expect((error.cause as Error).name).toBe('SecurityError')
  })

  it('put before load is refused: it must not write outside a locked partition', async () => {
    const storage = fakeStorage()
    const spool = localStorageSpool({ key: KEY, storage, locks: lockHub().tab() })
    expect((await spoolError(() => spool.put(record()))).code).toBe('failed')
    expect(storage.data.size).toBe(0)
  })
})

describe('2.7 localStorageSpool: set aside on load', () => {
  it('2.7 bad, foreign and future records are reported, left in storage, and never loaded', async () => {
    const storage = fakeStorage()
    const good = record({ id: 'good' })
    const put = (id: string, value: string) => storage.setItem(`${KEY}/old/${id}`, value)
    put('good', JSON.stringify(good))
    put('json', '{not json')
    put('future', JSON.stringify({ ...record({ id: 'future' }), v: RECORD_VERSION + 1, extra: 1 }))
    put('foreign', JSON.stringify(record({ id: 'foreign', url: 'https://evil.test/x' })))
    put('mismatch', JSON.stringify(record({ id: 'other' })))
    put('big', JSON.stringify(record({ id: 'big', body: { t: 'text', v: 'x'.repeat(2000) } })))
    const before = new Map(storage.data)
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: null,
      allowedOrigins: [ORIGIN],
      maxItemBytes: 2000,
    })
    const { records, errors = [] } = await spool.load()
    expect(records).toEqual([good])
    const codes = Object.fromEntries(
      errors.map((e) => [e.message.slice(e.message.lastIndexOf('/') + 1, -1), e.code]),
    )
    expect(codes).toEqual({
      json: 'invalid',
      future: 'version',
      foreign: 'origin',
      mismatch: 'invalid',
      big: 'too-large',
    })
    expect(storage.data).toEqual(before)
    await spool.clear()
    expect(storage.data.size).toBe(0)
  })
})

describe('2.7 localStorageSpool: several tabs', () => {
  const lockName = (k: string) => `fetch-queue:${k.slice(0, k.lastIndexOf('/'))}`

  it('2.7 each instance owns a partition under an exclusive lock; a live tab keeps its records', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const a = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    await a.load()
    const r = record()
    await a.put(r)
    const name = lockName(keysOf(storage)[0]!)
    expect(hub.holder(name)).toBeDefined()
    const b = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    expect((await b.load()).records).toEqual([])
    // B writes into its own partition, not A's.
    await b.put(record())
    expect(new Set(keysOf(storage).map(lockName)).size).toBe(2)
  })

  it("2.7 a closed tab's partition is adopted by exactly one of the tabs that start next", async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const tabA = hub.tab()
    const a = localStorageSpool({ key: KEY, storage, locks: tabA })
    await a.load()
    const rs = [record(), record()]
    for (const r of rs) await a.put(r)
    tabA.close()
    const c = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    const d = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    const [lc, ld] = await Promise.all([c.load(), d.load()])
    expect([...lc.records, ...ld.records]).toEqual(rs)
    expect([lc.records.length, ld.records.length].sort()).toEqual([0, 2])
    // The adopter can delete them; the other cannot touch them.
    const adopter = lc.records.length ? c : d
    const other = adopter === c ? d : c
    await other.delete(rs[0]!.id)
    expect(storage.data.size).toBe(2)
    await adopter.delete(rs[0]!.id)
    expect(storage.data.size).toBe(1)
  })

  it('2.7 dispose() releases the locks, so the next page adopts the records (a reload)', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const tab = hub.tab()
    const a = localStorageSpool({ key: KEY, storage, locks: tab })
    await a.load()
    const r = record()
    await a.put(r)
    a.dispose?.()
    await Promise.resolve()
    expect(tab.held()).toEqual([])
    const b = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    expect((await b.load()).records).toEqual([r])
  })

  it('2.7 without Web Locks the one instance adopts everything', async () => {
    const storage = fakeStorage()
    const a = localStorageSpool({ key: KEY, storage, locks: lockHub().tab() })
    await a.load()
    const r = record()
    await a.put(r)
    const b = localStorageSpool({ key: KEY, storage, locks: null })
    expect((await b.load()).records).toEqual([r])
  })

  it('2.7 locks are per key: another document does not block or adopt this one', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const a = localStorageSpool({ key: 'doc:1', storage, locks: hub.tab() })
    await a.load()
    await a.put(record())
    const b = localStorageSpool({ key: 'doc:2', storage, locks: hub.tab() })
    expect((await b.load()).records).toEqual([])
    b.dispose?.()
    a.dispose?.()
    const c = localStorageSpool({ key: 'doc:1', storage, locks: hub.tab() })
    expect((await c.load()).records).toHaveLength(1)
  })

  it('a lock manager that rejects is treated as no lock for that partition', async () => {
    const storage = fakeStorage()
    storage.setItem(`${KEY}/old/x`, JSON.stringify(record({ id: 'x' })))
    let calls = 0
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: {
        request: (_name, _options, callback) =>
          ++calls === 1 ? Promise.resolve(callback({})) : Promise.reject(new Error('no')),
      },
    })
    expect((await spool.load()).records).toEqual([])
  })

  it('dispose while loading: load fails and no lock stays held', async () => {
    const storage = fakeStorage()
    storage.setItem(`${KEY}/old/x`, JSON.stringify(record({ id: 'x' })))
    const hub = lockHub()
    const tab = hub.tab()
    const spool = localStorageSpool({ key: KEY, storage, locks: tab })
    const loading = spool.load()
    spool.dispose?.()
    expect((await spoolError(() => loading)).code).toBe('failed')
    await Promise.resolve()
    expect(tab.held()).toEqual([])
  })
})

describe('2.7 localStorageSpool: a lock manager that refuses', () => {
  it('2.7 a lock manager that rejects every request counts as none: this instance takes everything', async () => {
    const storage = fakeStorage()
    const r = record({ id: 'x' })
    storage.setItem(`${KEY}/old/x`, JSON.stringify(r))
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')) },
    })
    expect((await spool.load()).records).toEqual([r])
    await spool.put(record({ id: 'y' }))
    expect(storage.data.size).toBe(2)
  })

  it('a lock manager that never grants a fresh partition fails the load, and the queue sends from memory', async () => {
    const spool = localStorageSpool({
      key: KEY,
      storage: fakeStorage(),
      locks: { request: async (_name, _options, callback) => callback(null) },
    })
    expect((await spoolError(() => spool.load())).code).toBe('failed')
    expect((await spoolError(() => spool.put(record()))).code).toBe('failed')
  })
})

describe('2.7 localStorageSpool: hostile storage keys', () => {
  it('2.7 malformed escapes and odd ids in storage keys are set aside, never crash the load', async () => {
    const storage = fakeStorage()
    const good = record({ id: 'good' })
    storage.setItem(`${KEY}/p/good`, JSON.stringify(good))
    storage.setItem(`${KEY}/p/%E0%A4%A`, JSON.stringify(record({ id: '\u0900' })))
    storage.setItem(`${KEY}/p/%`, JSON.stringify(record({ id: '%' })))
    storage.setItem(`${KEY}/p/x`, JSON.stringify(record({ id: '\ud800' })))
    storage.setItem(`${KEY}/p/__proto__`, JSON.stringify(record({ id: '__proto__' })))
    const spool = localStorageSpool({ key: KEY, storage, locks: null })
    const { records, errors = [] } = await spool.load()
    expect(records.map((r) => r.id).sort()).toEqual(['__proto__', 'good'])
    expect(errors.map((e) => e.code)).toEqual(['invalid', 'invalid', 'invalid'])
    expect(errors.every((e) => e.message.includes(KEY))).toBe(true)
    await spool.delete('__proto__')
    expect(storage.getItem(`${KEY}/p/__proto__`)).toBeNull()
  })
})

describe('2.7 localStorageSpool: options, word for word', () => {
  it('rejects each bad option with a TypeError that says what it must be and what it got', () => {
    const make = (o: object) => () => localStorageSpool(o as never)
    expect(make({ key: 5 })).toThrow(
      new TypeError('fetch-queue: option `key` must be a non-empty string, got 5'),
    )
    expect(make({ key: 'k', maxItemBytes: '1000' })).toThrow(
      new TypeError('fetch-queue: option `maxItemBytes` must be a number > 0, got "1000"'),
    )
    expect(make({ key: 'k', redactHeaders: 'x-a' })).toThrow(
      new TypeError(
        'fetch-queue: option `redactHeaders` must be an array of header names, got "x-a"',
      ),
    )
    expect(make({ key: 'k', allowedOrigins: 'https://a.test' })).toThrow(
      new TypeError(
        'fetch-queue: option `allowedOrigins` must be an array of origins, got "https://a.test"',
      ),
    )
    expect(make({ key: 'k', allowedOrigins: ['nope'] })).toThrow(
      new TypeError(
        'fetch-queue: option `allowedOrigins` must be a list of origins like "https://api.example.com", got "nope"',
      ),
    )
  })

  it('redacts no extra header and allows no extra origin by default', () => {
    const spool = localStorageSpool({ key: KEY })
    expect([spool.redactHeaders, spool.allowedOrigins]).toEqual([[], undefined])
  })
})

/** A storage over `data` whose members can be replaced, to make one of them fail or lie. */
function patchable() {
  const storage = fakeStorage()
  const wrapper = {
    get length() {
      return storage.length
    },
    key: (i: number) => storage.key(i),
    getItem: (k: string) => storage.getItem(k),
    setItem: (k: string, v: string) => storage.setItem(k, v),
    removeItem: (k: string) => storage.removeItem(k),
  }
  return { storage, wrapper }
}

describe('2.7 localStorageSpool: storage failures, word for word', () => {
  it('2.7 a storage getter that throws is unavailable: localStorage cannot be accessed, with the cause', async () => {
    const cause = new DOMException('The operation is insecure.', 'SecurityError')
    const spool = localStorageSpool({
      key: KEY,
      locks: null,
      get storage(): never {
        throw cause
      },
    })
    const error = await spoolError(() => spool.load())
    expect([error.code, error.message, error.cause]).toEqual([
      'unavailable',
      'localStorage cannot be accessed',
      cause,
    ])
  })

  it('2.7 without localStorage the message says it is not available', async () => {
    const spool = localStorageSpool({ key: KEY, locks: null })
    expect((await spoolError(() => spool.load())).message).toBe('localStorage is not available')
  })

  it('2.7 a failed write says it was full or failed storing which request', async () => {
    const { storage, spool } = await loaded()
    const r = record()
    storage.failSet = { name: 'QuotaExceededError' }
    expect((await spoolError(() => spool.put(r))).message).toBe(
      `Storage is full: storing POST ${r.url}`,
    )
    storage.failSet = new TypeError('weird')
    expect((await spoolError(() => spool.put(r))).message).toBe(
      `Storage failed: storing POST ${r.url}`,
    )
  })

  it('2.7 a storage that throws null or undefined is unavailable, not a crash', async () => {
    for (const thrown of [null, undefined]) {
      const { storage, wrapper } = patchable()
      const spool = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
      await spool.load()
      wrapper.setItem = () => {
        throw thrown
      }
      const error = await spoolError(() => spool.put(record()))
      expect([error.code, error.cause]).toEqual(['unavailable', thrown])
      expect(storage.data.size).toBe(0)
    }
  })

  it('2.8 a SpoolError thrown by a wrapping storage goes through as it is', async () => {
    const { wrapper } = patchable()
    const spool = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    await spool.load()
    const own = new SpoolError('too-large', 'the wrapper says no')
    wrapper.setItem = () => {
      throw own
    }
    expect(await spoolError(() => spool.put(record()))).toBe(own)
  })

  it('2.7 reading, deleting and clearing say which of them failed', async () => {
    const { storage, wrapper } = patchable()
    storage.setItem(`${KEY}/old/x`, JSON.stringify(record({ id: 'x' })))
    const spool = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    await spool.load()
    const fail = () => {
      throw new TypeError('broken')
    }
    wrapper.removeItem = fail
    expect((await spoolError(() => spool.delete('x'))).message).toBe('Storage failed: deleting')
    expect((await spoolError(() => spool.clear())).message).toBe('Storage failed: clearing')
    wrapper.getItem = fail
    const unreadable = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    // A record that cannot be read is set aside; the others still load.
    const { errors = [] } = await unreadable.load()
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['unavailable', `Storage failed: reading (${KEY}/old/x)`],
    ])
    wrapper.key = fail
    const unlisted = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    expect((await spoolError(() => unlisted.load())).message).toBe('Storage failed: reading')
  })

  it('2.7 a storage that fails when the spool scans it again, once its locks are held, fails the load as reading', async () => {
    const { storage, wrapper } = patchable()
    storage.setItem(`${KEY}/old/x`, JSON.stringify(record({ id: 'x' })))
    let scans = 0
    Object.defineProperty(wrapper, 'length', {
      get: () => {
        if (++scans > 1) throw new TypeError('broken')
        return storage.length
      },
    })
    const spool = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    const error = await spoolError(() => spool.load())
    expect([error.code, error.message]).toEqual(['unavailable', 'Storage failed: reading'])
  })

  it('2.7 a partition taken over later from storage that now fails is handed over as the error, with no records', async () => {
    const { storage, wrapper } = patchable()
    const { hub, tabA } = await tabWithWrite(storage)
    const b = localStorageSpool({ key: KEY, storage: wrapper, locks: hub.tab(), session: null })
    const clock = fakeClock()
    const later: SpoolLoad[] = []
    b.adopted?.((load) => later.push(load), clock)
    expect((await b.load()).records).toEqual([])
    wrapper.key = () => {
      throw new TypeError('broken')
    }
    tabA.close()
    await flush()
    await clock.advance(ADOPT_GRACE)
    await flush()
    expect(later.map((l) => [l.records, l.errors?.map((e) => [e.code, e.message])])).toEqual([
      [[], [['unavailable', 'Storage failed: reading']]],
    ])
  })

  it('2.7 a key that vanishes while the spool reads (another tab removed it) is skipped, not an error', async () => {
    const { storage, wrapper } = patchable()
    const good = record({ id: 'good' })
    storage.setItem(`${KEY}/old/good`, JSON.stringify(good))
    storage.setItem(`${KEY}/old/gone`, JSON.stringify(record({ id: 'gone' })))
    wrapper.getItem = (k) => (k.endsWith('/gone') ? null : storage.getItem(k))
    wrapper.key = (i) => (i === 2 ? null : storage.key(i))
    Object.defineProperty(wrapper, 'length', { get: () => storage.length + 1 })
    const spool = localStorageSpool({ key: KEY, storage: wrapper, locks: null })
    expect(await spool.load()).toEqual({ records: [good], errors: [] })
  })

  it('clear() removes each of its records once and nothing else', async () => {
    const storage = fakeStorage()
    storage.setItem('other-app', '{}')
    const spool = localStorageSpool({ key: KEY, storage, locks: null })
    await spool.load()
    for (let i = 0; i < 3; i++) await spool.put(record())
    await spool.clear()
    expect([storage.removes, [...storage.data.keys()]]).toEqual([3, ['other-app']])
  })

  it('put before load says the spool is not loaded', async () => {
    const spool = localStorageSpool({ key: KEY, storage: fakeStorage(), locks: null })
    expect((await spoolError(() => spool.put(record()))).message).toBe('The spool is not loaded')
  })
})

describe('2.7 localStorageSpool: maxItemBytes is a limit, inclusive', () => {
  it('2.7 a record of exactly maxItemBytes is stored and loaded; one character more is not', async () => {
    const { storage, spool: probe } = await loaded()
    const r = record({ id: 'exact' })
    await probe.put(r)
    const [[k, v]] = [...storage.data] as [[string, string]]
    const limit = 2 * (k.length + v.length)
    const spool = localStorageSpool({ key: KEY, storage, locks: null, maxItemBytes: limit })
    expect((await spool.load()).records).toEqual([r])
    await spool.put(r)
    const error = await spoolError(() => spool.put({ ...r, method: 'PATCH' }))
    expect([error.code, error.message]).toEqual([
      'too-large',
      `The item is over maxItemBytes (${limit})`,
    ])
  })
})

describe('2.7 localStorageSpool: what set aside records say', () => {
  it('2.7 each set-aside record is reported with why and under which storage key', async () => {
    const storage = fakeStorage()
    const big = `${KEY}/old/big`
    const other = `${KEY}/old/other`
    const malformed = `${KEY}/old/%E0%A4%A`
    storage.setItem(
      big,
      JSON.stringify(record({ id: 'big', body: { t: 'text', v: 'x'.repeat(600) } })),
    )
    storage.setItem(other, JSON.stringify(record({ id: 'mismatch' })))
    storage.setItem(malformed, JSON.stringify(record({ id: 'x' })))
    const spool = localStorageSpool({ key: KEY, storage, locks: null, maxItemBytes: 1000 })
    const { errors = [] } = await spool.load()
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['too-large', `Stored record set aside: over maxItemBytes (${big})`],
      ['invalid', `Stored record set aside: id does not match its key (${other})`],
      ['invalid', `Stored record set aside (${malformed})`],
    ])
    expect(errors[2]!.cause).toBeInstanceOf(URIError)
  })

  it('2.7 a record whose id is already stored in another partition is set aside as a second copy', async () => {
    const storage = fakeStorage()
    storage.setItem(`${KEY}/a/x`, JSON.stringify(record({ id: 'x' })))
    storage.setItem(`${KEY}/b/x`, JSON.stringify(record({ id: 'x' })))
    const spool = localStorageSpool({ key: KEY, storage, locks: null })
    const { records, errors = [] } = await spool.load()
    expect(records.map((r) => r.id)).toEqual(['x'])
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['invalid', `Stored record set aside: a second copy of record x (${KEY}/b/x)`],
    ])
  })

  it('only lower-case letters and digits name a partition: other keys under the prefix are not its', async () => {
    const storage = fakeStorage()
    for (const part of ['x-1', '1-x', 'a.b'])
      storage.setItem(`${KEY}/${part}/r`, JSON.stringify(record({ id: 'r' })))
    const spool = localStorageSpool({ key: KEY, storage, locks: null })
    expect(await spool.load()).toEqual({ records: [], errors: [] })
    await spool.clear()
    expect(storage.data.size).toBe(3)
  })
})

describe('2.7 localStorageSpool: dispose and load again', () => {
  it('a load overtaken by dispose() fails even when the spool is loaded again meanwhile', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const spool = localStorageSpool({ key: KEY, storage, locks: hub.tab() })
    const first = spool.load()
    spool.dispose?.()
    const second = spool.load()
    const error = await spoolError(() => first)
    expect([error.code, error.message]).toEqual(['failed', 'The spool was disposed while loading'])
    expect(await second).toEqual({ records: [], errors: [] })
  })
})

describe('2.7 localStorageSpool: the note of its partitions and the grace period', () => {
  const noteKey = `fetch-queue:${KEY}/`
  const partOf = (storageKey: string) => storageKey.split('/').at(-2)!

  it('2.7 the tab notes the partitions it holds, its own first, separated by spaces', async () => {
    const { storage, hub, tabA } = await tabWithWrite()
    tabA.close()
    const session = fakeStorage()
    const b = localStorageSpool({ key: KEY, storage, locks: hub.tab(), session })
    expect((await b.load()).records.map((r) => r.id)).toEqual(['a'])
    await b.put(record({ id: 'b' }))
    const parts = Object.fromEntries(
      [...storage.data.keys()].map((k) => [k.split('/').at(-1), partOf(k)]),
    )
    expect([...session.data]).toEqual([[noteKey, `${parts.b} ${parts.a}`]])
  })

  /**
   * A tab's old page that stored one record, and the new page of the same tab starting while the
   * old one still runs; `listen` receives what the new page takes over later.
   */
  async function reload(listen: (load: SpoolLoad) => void) {
    const storage = fakeStorage()
    const tabA = lockHub().tab()
    const session = fakeStorage()
    const old = localStorageSpool({ key: KEY, storage, locks: tabA, session })
    await old.load()
    const r = record({ id: 'a' })
    await old.put(r)
    const page = localStorageSpool({ key: KEY, storage, locks: tabA.tab(), session })
    const clock = fakeClock()
    page.adopted?.(listen, clock)
    return { old, r, clock, loading: page.load() }
  }

  it('2.7 a partition of this tab that its old page frees after the grace period is taken at once, not after another grace period', async () => {
    const later: SpoolLoad[] = []
    // The old page stays past the grace period.
    const { old, r, clock, loading } = await reload((load) => later.push(load))
    await flush()
    await clock.advance(ADOPT_GRACE)
    expect((await loading).records).toEqual([])
    old.dispose?.()
    await flush()
    expect(later).toEqual([{ records: [r], errors: [] }])
  })

  it('2.7 a new page waits for its old page with one timer, cleared once it has its partition; a fresh partition needs none', async () => {
    const { old, r, clock, loading } = await reload(() => {})
    await flush()
    await clock.advance(500)
    old.dispose?.()
    expect((await loading).records).toEqual([r])
    expect([clock.delays, clock.timers]).toEqual([[ADOPT_GRACE], 0])
  })

  it('2.7 records taken over before anyone listens are handed to the listener when it registers', async () => {
    vi.useFakeTimers()
    try {
      const { storage, hub, tabA, r } = await tabWithWrite()
      const b = localStorageSpool({ key: KEY, storage, locks: hub.tab(), session: null })
      expect((await b.load()).records).toEqual([])
      tabA.close()
      await vi.advanceTimersByTimeAsync(ADOPT_GRACE)
      const later: SpoolLoad[] = []
      b.adopted?.((load) => later.push(load), fakeClock())
      expect(later).toEqual([{ records: [r], errors: [] }])
      b.dispose?.()
    } finally {
      vi.useRealTimers()
    }
  })

  it('2.7 a spool disposed during the grace period takes nothing and notes nothing more when it ends', async () => {
    const { storage, hub, tabA } = await tabWithWrite()
    const session = fakeStorage()
    const tabB = hub.tab()
    const b = localStorageSpool({ key: KEY, storage, locks: tabB, session })
    const clock = fakeClock()
    const later: SpoolLoad[] = []
    b.adopted?.((load) => later.push(load), clock)
    await b.load()
    const note = session.getItem(noteKey)
    tabA.close()
    await flush()
    b.dispose?.()
    await clock.advance(ADOPT_GRACE)
    await flush()
    expect([later, session.getItem(noteKey), tabB.held()]).toEqual([[], note, []])
  })

  it('2.7 a lock manager that never grants a fresh partition is asked four times, then the load fails saying so', async () => {
    const names: string[] = []
    const spool = localStorageSpool({
      key: KEY,
      storage: fakeStorage(),
      locks: {
        request: async (name, _options, callback) => {
          names.push(name)
          return callback(null)
        },
      },
    })
    const error = await spoolError(() => spool.load())
    expect([error.code, error.message]).toEqual(['failed', 'Could not lock a spool partition'])
    expect(names).toHaveLength(4)
    expect(new Set(names).size).toBe(4)
  })
})
