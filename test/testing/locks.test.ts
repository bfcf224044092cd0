import { describe, expect, it } from 'vitest'
import { flush } from '../../src/testing/flush.ts'
import { memoryLocks } from '../../src/testing/locks.ts'

/** A callback that holds its lock until `release()`. */
function holding() {
  let release!: () => void
  const done = new Promise<void>((r) => (release = r))
  const got: unknown[] = []
  const callback = (lock: unknown) => {
    got.push(lock)
    return done
  }
  return { got, release, callback }
}

describe('testing: memoryLocks', () => {
  it('runs the callback asynchronously, never inside request()', async () => {
    const locks = memoryLocks()
    const seen: string[] = []
    const p = locks.request('a', {}, () => seen.push('callback'))
    seen.push('after request')
    await p
    expect(seen).toEqual(['after request', 'callback'])
  })

  it('an exclusive lock is held until the promise the callback returned settles', async () => {
    const a = memoryLocks()
    const b = a.tab()
    const first = holding()
    a.request('x', {}, first.callback)
    await flush()
    expect(a.held()).toEqual(['x'])
    expect(a.holder('x')).toBe(a)
    const second = holding()
    b.request('x', { mode: 'exclusive' }, second.callback)
    await flush()
    expect(second.got).toEqual([])
    first.release()
    await flush()
    expect(second.got).toEqual([{ name: 'x', mode: 'exclusive' }])
    expect(b.holder('x')).toBe(b)
  })

  it('a callback that throws releases the lock, and request() rejects with its error', async () => {
    const a = memoryLocks()
    await expect(
      a.request('x', {}, () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(a.held()).toEqual([])
  })

  it('ifAvailable gets null at once when the lock is taken, and the lock when it is free', async () => {
    const a = memoryLocks()
    const b = a.tab()
    const first = holding()
    a.request('x', {}, first.callback)
    await flush()
    expect(await b.request('x', { ifAvailable: true }, (l) => l)).toBeNull()
    first.release()
    await flush()
    expect(await b.request('x', { ifAvailable: true }, (l) => l)).toEqual({
      name: 'x',
      mode: 'exclusive',
    })
  })

  it('waiting requests are granted in the order they were made', async () => {
    const a = memoryLocks()
    const order: string[] = []
    const first = holding()
    a.request('x', {}, first.callback)
    const waits = ['b', 'c', 'd'].map((n) => a.tab().request('x', {}, () => order.push(n)))
    await flush()
    first.release()
    await Promise.all(waits)
    expect(order).toEqual(['b', 'c', 'd'])
  })

  it('shared locks are held together; an exclusive one waits for all of them, and later shared ones wait behind it', async () => {
    const a = memoryLocks()
    const s1 = holding()
    const s2 = holding()
    a.request('x', { mode: 'shared' }, s1.callback)
    a.tab().request('x', { mode: 'shared' }, s2.callback)
    await flush()
    expect([s1.got.length, s2.got.length]).toEqual([1, 1])
    const ex = holding()
    a.tab().request('x', {}, ex.callback)
    const s3 = holding()
    a.tab().request('x', { mode: 'shared' }, s3.callback)
    await flush()
    s1.release()
    await flush()
    expect(ex.got).toEqual([])
    s2.release()
    await flush()
    expect(ex.got).toHaveLength(1)
    expect(s3.got).toEqual([])
    ex.release()
    await flush()
    expect(s3.got).toHaveLength(1)
  })

  it('a closed tab releases its locks, forgets its waiting requests, and refuses new ones', async () => {
    const a = memoryLocks()
    const b = a.tab()
    const c = a.tab()
    const held = holding()
    a.request('x', {}, held.callback)
    const fromB = holding()
    b.request('x', {}, fromB.callback)
    const fromC = holding()
    c.request('x', {}, fromC.callback)
    await flush()
    b.close()
    a.close()
    await flush()
    expect(fromB.got).toEqual([])
    expect(fromC.got).toHaveLength(1)
    expect(a.held()).toEqual([])
    await expect(a.request('y', {}, () => 1)).rejects.toMatchObject({ name: 'InvalidStateError' })
  })

  it('an unknown mode is a TypeError at the call', async () => {
    await expect(memoryLocks().request('x', { mode: 'weird' as never }, () => 1)).rejects.toThrow(
      TypeError,
    )
  })
})
