// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { localStorageSpool } from '../../src/index.ts'
import { lockHub } from './support/locks.ts'
import { record } from './support/records.ts'
import { fakeStorage } from './support/storage.ts'

const KEY = 'editor:u1:p1'

afterEach(() => sessionStorage.clear())

describe('2.7 localStorageSpool in a page', () => {
  it("2.7 a stored record at the page's own origin is loaded, though allowedOrigins names only others", async () => {
    const storage = fakeStorage()
    const here = record({ id: 'here', url: `${location.origin}/items/1` })
    storage.setItem(`${KEY}/old/here`, JSON.stringify(here))
    storage.setItem(
      `${KEY}/old/there`,
      JSON.stringify(record({ id: 'there', url: 'https://evil.test/x' })),
    )
    const spool = localStorageSpool({
      key: KEY,
      storage,
      locks: null,
      allowedOrigins: ['https://api.test'],
    })
    const { records, errors = [] } = await spool.load()
    expect(records).toEqual([here])
    expect(errors.map((e) => e.code)).toEqual(['origin'])
  })

  it("2.7 by default the tab notes its partition in the page's sessionStorage", async () => {
    const storage = fakeStorage()
    const spool = localStorageSpool({ key: KEY, storage, locks: lockHub().tab() })
    await spool.load()
    await spool.put(record({ id: 'a' }))
    const part = [...storage.data.keys()][0]!.split('/').at(-2)
    expect(sessionStorage.getItem(`fetch-queue:${KEY}/`)).toBe(part)
  })
})
