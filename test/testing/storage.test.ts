import { describe, expect, it } from 'vitest'
import type { QueueEvents } from '../../src/index.ts'
import { createQueue } from '../../src/queue.ts'
import { localStorageSpool } from '../../src/spool/local-storage.ts'
import { flush } from '../../src/testing/flush.ts'
import { memoryStorage, throwingStorage } from '../../src/testing/storage.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { fakeOnline } from '../support/online.ts'
import { track } from '../support/queue.ts'

describe('testing: memoryStorage', () => {
  it('behaves as Storage: strings only, key(i) in insertion order, length, clear', () => {
    const s = memoryStorage()
    s.setItem('a', 1 as never)
    s.setItem('b', 'two')
    expect(s.getItem('a')).toBe('1')
    expect(s.getItem('missing')).toBeNull()
    expect([s.length, s.key(0), s.key(1), s.key(2)]).toEqual([2, 'a', 'b', null])
    s.removeItem('a')
    expect(s.length).toBe(1)
    s.clear()
    expect(s.length).toBe(0)
  })

  it('counts writes, characters written and removes', () => {
    const s = memoryStorage()
    s.setItem('k', 'abc')
    s.setItem('k', 'de')
    s.removeItem('k')
    expect([s.writes, s.charsWritten, s.removes]).toEqual([2, 7, 1])
  })

  it('throws a QuotaExceededError past the quota (2 bytes a character), and keeps the old value', () => {
    const s = memoryStorage({ quota: 20 })
    s.setItem('k', '123456789') // (1 + 9) * 2 = 20
    expect(() => s.setItem('k', '1234567890')).toThrow(
      expect.objectContaining({ name: 'QuotaExceededError' }),
    )
    expect(s.getItem('k')).toBe('123456789')
    expect(() => s.setItem('j', '')).toThrow()
  })

  it('setItemError makes every setItem throw it until unset', () => {
    const s = memoryStorage()
    const error = new DOMException('Blocked', 'SecurityError')
    s.setItemError = error
    expect(() => s.setItem('a', 'b')).toThrow(error)
    s.setItemError = undefined
    s.setItem('a', 'b')
    expect(s.getItem('a')).toBe('b')
  })

  it('a full storage keeps the write: it is sent from memory with durable: false and a quota spoolerror', async () => {
    const storage = memoryStorage({ quota: 100 })
    const t = testTransport()
    const errors: QueueEvents['spoolerror'][] = []
    const queue = track(
      createQueue({
        transport: t.transport,
        online: fakeOnline(),
        spool: localStorageSpool({ key: 'k', storage, locks: null }),
      }),
    )
    queue.on('spoolerror', (e) => errors.push(e))
    queue.fetch('https://api.test/a', { method: 'POST', body: 'x'.repeat(200) })
    await flush()
    expect(errors.map((e) => e.error.code)).toEqual(['quota'])
    expect(queue.getSnapshot().items[0]!.durable).toBe(false)
    expect(t.calls).toHaveLength(1)
  })

  it('throwingStorage() throws a SecurityError from every member, which the spool reports as unavailable', async () => {
    const s = throwingStorage()
    expect(() => s.length).toThrow(expect.objectContaining({ name: 'SecurityError' }))
    expect(() => s.getItem('a')).toThrow()
    const errors: string[] = []
    const queue = track(
      createQueue({
        transport: testTransport().transport,
        online: fakeOnline(),
        spool: localStorageSpool({ key: 'k', storage: s, locks: null }),
      }),
    )
    queue.on('spoolerror', (e) => errors.push(e.error.code))
    await queue.ready
    expect(errors).toContain('unavailable')
  })
})

describe('testing: memoryStorage input', () => {
  it('a bad quota or quotaError is a TypeError naming the option', () => {
    expect(() => memoryStorage({ quota: -1 })).toThrow(/quota/)
    expect(() => memoryStorage({ quota: '5' as never })).toThrow(/quota/)
    expect(() => memoryStorage({ quotaError: 'full' as never })).toThrow(/quotaError/)
  })
})
