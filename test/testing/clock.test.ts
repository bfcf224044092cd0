import { afterEach, describe, expect, it, vi } from 'vitest'
import { createQueue } from '../../src/queue.ts'
import { fakeTimersClock, manualClock } from '../../src/testing/clock.ts'
import { manualOnline } from '../../src/testing/online.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { settle, track } from '../support/queue.ts'

afterEach(() => {
  vi.useRealTimers()
})

describe('testing: manualClock', () => {
  it('fires due timers in order as time advances, and records every delay', async () => {
    const clock = manualClock(0)
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b'), 20)
    clock.setTimeout(() => fired.push('a'), 10)
    const gone = clock.setTimeout(() => fired.push('never'), 15)
    clock.clearTimeout(gone)
    expect([clock.timers, clock.nextAt]).toEqual([2, 10])
    await clock.advance(15)
    expect([fired, clock.now()]).toEqual([['a'], 15])
    expect(await clock.next()).toBe(true)
    expect([fired, clock.now()]).toEqual([['a', 'b'], 20])
    expect(await clock.next()).toBe(false)
    expect(clock.delays).toEqual([20, 10, 15])
  })
})

describe('testing: fakeTimersClock', () => {
  function timedQueue() {
    const t = testTransport()
    const queue = track(
      createQueue({
        transport: t.transport,
        online: manualOnline(),
        clock: fakeTimersClock(),
        timeout: 1000,
        retry: { networkLimit: 0 },
      }),
    )
    return { t, queue }
  }

  it('follows vi.useFakeTimers() installed after the queue was created', async () => {
    const { queue } = timedQueue()
    vi.useFakeTimers()
    const p = settle(queue.fetch('https://api.test/slow'))
    await vi.advanceTimersByTimeAsync(999)
    expect(p.status).toBe('pending')
    await vi.advanceTimersByTimeAsync(1)
    expect(p.status).toBe('rejected')
    expect((p.reason as Error).name).toBe('TimeoutError')
  })

  it('times out under fake timers that leave Date alone (as Jest legacy timers do), where Date.now alone never moves', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { queue } = timedQueue()
    const p = settle(queue.fetch('https://api.test/slow'))
    await vi.advanceTimersByTimeAsync(1000)
    expect(p.status).toBe('rejected')
    expect((p.reason as Error).name).toBe('TimeoutError')
  })

  it('works on real timers too', async () => {
    const clock = fakeTimersClock()
    const before = Date.now()
    await new Promise<void>((r) => clock.setTimeout(r, 5))
    expect(clock.now()).toBeGreaterThanOrEqual(before + 5)
  })
})
