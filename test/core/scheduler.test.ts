import { describe, expect, it } from 'vitest'
import { createScheduler } from '../../src/scheduler.ts'

// The scheduler's bookkeeping, which the public API cannot see: a chat with a lane per room must
// not keep a lane for every room it ever wrote to.
describe('2.9 the scheduler forgets what it no longer needs', () => {
  const scheduler = () =>
    createScheduler({ maxParallel: 1, maxParallelReads: 1, busy: () => 0, send: () => {} })

  it('2.9 an empty lane is forgotten, unless it is paused or waits for a slot', () => {
    const s = scheduler()
    s.release(s.lane('a'))
    const paused = s.lane('b')
    paused._paused = true
    s.release(paused)
    const waiting = s.lane('c')
    waiting._waiting = true
    s.release(waiting)
    expect([...s.lanes.keys()]).toEqual(['b', 'c'])
  })

  it('2.9 clear() forgets every lane and every id', () => {
    const s = scheduler()
    s.lane('a')._paused = true
    s.ids.set('x', {} as never)
    s.clear()
    expect(s.lanes.size).toBe(0)
    expect(s.ids.size).toBe(0)
  })
})
