import { afterEach } from 'vitest'
import { createQueue, type FetchQueue, type QueueOptions } from '../../src/index.ts'
import { type FakeClock, fakeClock } from './clock.ts'
import { API } from './http.ts'
import { type FakeOnline, fakeOnline } from './online.ts'
import {
  type ControlledOptions,
  type ControlledTransport,
  controlledTransport,
} from './transport.ts'

export { API }
export const url = (path: string) => `${API}${path}`

const open = new Set<FetchQueue>()
afterEach(() => {
  for (const q of open) q.dispose()
  open.clear()
})

export interface Harness {
  queue: FetchQueue
  clock: FakeClock
  online: FakeOnline
  t: ControlledTransport
}

/**
 * A queue wired to a controlled transport, a fake clock and a fake online source. Disposed after
 * the test.
 */
export function setup(options: QueueOptions = {}, transport: ControlledOptions = {}): Harness {
  const clock = fakeClock()
  const online = fakeOnline()
  const t = controlledTransport(transport)
  const queue = createQueue({ transport: t.transport, clock, online, ...options })
  open.add(queue)
  return { queue, clock, online, t }
}

/** Registers a queue for disposal after the test. */
export function track(queue: FetchQueue): FetchQueue {
  open.add(queue)
  return queue
}

/** A promise that is never reported as unhandled, with its outcome readable later. */
export function settle<T>(promise: Promise<T>) {
  const out: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; reason?: unknown } = {
    status: 'pending',
  }
  promise.then(
    (value) => Object.assign(out, { status: 'fulfilled', value }),
    (reason) => Object.assign(out, { status: 'rejected', reason }),
  )
  return out
}
