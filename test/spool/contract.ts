/**
 * The behaviour every spool shares, run against each implementation (see contract.test.ts).
 * A fixture opens spools over one backing store; `open()` after `dispose()` is a page reload.
 */
import { describe, expect, it } from 'vitest'
import type { Spool, SpoolRecord } from '../../src/index.ts'
import { record } from './support/records.ts'

export interface SpoolFixture {
  /** A spool over the fixture's store, as a new page would create it. */
  open(): Spool
}

async function reload(spool: Spool, fixture: SpoolFixture) {
  spool.dispose?.()
  const next = fixture.open()
  const loaded = await next.load()
  return { spool: next, records: loaded.records, errors: loaded.errors ?? [] }
}

const byId = (records: SpoolRecord[]) => [...records].sort((a, b) => a.seq - b.seq)

export function spoolContract(name: string, make: () => SpoolFixture) {
  describe(`2.8 spool contract: ${name}`, () => {
    it('loads nothing from an empty store', async () => {
      const spool = make().open()
      const loaded = await spool.load()
      expect(loaded.records).toEqual([])
      expect(loaded.errors ?? []).toEqual([])
      expect(typeof spool.name).toBe('string')
    })

    it('2.7 a stored record comes back after a reload, field for field', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const r = record({
        meta: { doc: 'a', tags: ['x', 'y'], n: 1.5, ok: true, none: null },
        dedupe: 'POST https://api.test/items',
        init: { credentials: 'include', keepalive: true },
        attempts: 2,
      })
      await spool.put(r)
      const after = await reload(spool, f)
      expect(after.records).toEqual([r])
      expect(after.errors).toEqual([])
    })

    it('2.7 text, URLSearchParams and byte bodies are stored; a record may have no body', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const rs = [
        record({ body: { t: 'text', v: 'héllo 👋' } }),
        record({ body: { t: 'params', v: 'a=1&b=%C3%A9' } }),
        record({ body: { t: 'bytes', v: 'AAEC/w==' } }),
        record({ method: 'DELETE', body: undefined }),
      ]
      delete rs[3]!.body
      for (const r of rs) await spool.put(r)
      expect(byId((await reload(spool, f)).records)).toEqual(rs)
    })

    it('delete removes that record only', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const [a, b, c] = [record(), record(), record()]
      for (const r of [a, b, c]) await spool.put(r!)
      await spool.delete(b!.id)
      expect(byId((await reload(spool, f)).records)).toEqual([a, c])
    })

    it('deleting an id that is not stored is harmless', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const a = record()
      await spool.put(a)
      await spool.delete('nope')
      await spool.delete(a.id)
      await spool.delete(a.id)
      expect((await reload(spool, f)).records).toEqual([])
    })

    it('a second put with the same id replaces the first', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const a = record()
      await spool.put(a)
      await spool.put({ ...a, attempts: 3 })
      expect((await reload(spool, f)).records).toEqual([{ ...a, attempts: 3 }])
    })

    it('stores a copy: changing the object after put changes nothing', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const a = record({ meta: { n: 1 } })
      const copy = structuredClone(a)
      await spool.put(a)
      ;(a.meta as { n: number }).n = 2
      a.headers.push(['x-late', '1'])
      expect((await reload(spool, f)).records).toEqual([copy])
    })

    it('10 clear() removes every record, also after a reload', async () => {
      const f = make()
      let spool = f.open()
      await spool.load()
      await spool.put(record())
      spool = (await reload(spool, f)).spool
      await spool.put(record())
      await spool.clear()
      const after = await reload(spool, f)
      expect(after.records).toEqual([])
      const b = record()
      await after.spool.put(b)
      expect((await reload(after.spool, f)).records).toEqual([b])
    })

    it('14 dispose() keeps what is stored', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const a = record()
      await spool.put(a)
      spool.dispose?.()
      const next = f.open()
      expect((await next.load()).records).toEqual([a])
    })

    it('2.7 records put over several reloads all come back, with their order fields intact', async () => {
      const f = make()
      let spool = f.open()
      await spool.load()
      const all: SpoolRecord[] = []
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 40; i++) {
          const r = record()
          all.push(r)
          await spool.put(r)
        }
        spool = (await reload(spool, f)).spool
      }
      const { records } = await reload(spool, f)
      expect(byId(records)).toEqual(all)
    })

    it('a record restored after a reload can be deleted by the new instance', async () => {
      const f = make()
      const spool = f.open()
      await spool.load()
      const a = record()
      await spool.put(a)
      const after = await reload(spool, f)
      expect(after.records).toEqual([a])
      await after.spool.delete(a.id)
      expect((await reload(after.spool, f)).records).toEqual([])
    })
  })
}
