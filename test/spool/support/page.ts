import {
  createQueue,
  type FetchQueue,
  type LocalStorageSpoolOptions,
  type LockManagerLike,
  localStorageSpool,
  type QueueEvents,
  type QueueOptions,
  type Spool,
  type StorageLike,
  type Transport,
} from '../../../src/index.ts'
import { type FakeClock, fakeClock } from '../../support/clock.ts'
import { type FakeOnline, fakeOnline } from '../../support/online.ts'
import { track } from '../../support/queue.ts'

export const KEY = 'editor:u1:p1'

type Logged = { [K in keyof QueueEvents]: { type: K } & QueueEvents[K] }[keyof QueueEvents]

export interface Page {
  queue: FetchQueue
  spool: Spool
  clock: FakeClock
  online: FakeOnline
  /** Every event the queue raised, in order. */
  events: Logged[]
  of<K extends keyof QueueEvents>(type: K): QueueEvents[K][]
}

export interface PageOptions {
  storage?: StorageLike
  locks?: LockManagerLike | null
  clock?: FakeClock
  online?: FakeOnline
  spool?: Partial<LocalStorageSpoolOptions>
  queue?: QueueOptions
}

const NAMES = [
  'sent',
  'failed',
  'retrying',
  'superseded',
  'restored',
  'expired',
  'spoolerror',
] as const

/**
 * One page of the app: a queue over a localStorage spool with the default (msw-served) fetch
 * transport, a fake clock and online source. Opening a second page over the same storage after
 * `queue.dispose()` is a reload.
 */
export function openPage(o: PageOptions = {}): Page {
  const clock = o.clock ?? fakeClock()
  const online = o.online ?? fakeOnline()
  const spool = localStorageSpool({
    key: KEY,
    locks: o.locks === undefined ? null : o.locks,
    ...(o.storage && { storage: o.storage }),
    ...o.spool,
  })
  // While the fake online source says offline, the network is down: fetch fails at once, as a
  // browser's does. The queue treats "offline" as a hint only (DESIGN §2.4) and keeps trying.
  const transport: Transport = (request) =>
    online.isOnline()
      ? globalThis.fetch(request.url, request)
      : Promise.reject(new TypeError('Failed to fetch'))
  const queue = track(createQueue({ spool, clock, online, transport, ...o.queue }))
  const events: Logged[] = []
  for (const type of NAMES) queue.on(type, (e) => events.push({ type, ...e } as Logged))
  return {
    queue,
    spool,
    clock,
    online,
    events,
    of: <K extends keyof QueueEvents>(type: K) =>
      events.filter((e) => e.type === type) as unknown as QueueEvents[K][],
  }
}
