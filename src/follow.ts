import type { Emitter, QueueEvents } from './events.ts'
import type { Item, Lane } from './item.ts'
import type { Scheduler } from './scheduler.ts'
import type { Persistence, Spool } from './spool/types.ts'
import type { Clock, Policy, QueueRequest } from './types.ts'

/** The queue's settings a follower reads. */
export interface FollowSettings {
  readonly clock: Clock
  readonly retry: Policy
  /** The queue's spool, for its `allowedOrigins`. */
  readonly spool: Spool | undefined
}

/**
 * Sees each finished attempt of a write before the queue judges it. Returns true when it took the
 * outcome: a `202 Accepted` that starts a job, or the answer to a job's poll.
 */
export type Follower = (
  it: Item,
  ok: boolean,
  value: unknown,
  ctrl: AbortController | undefined,
  /** The request the attempt sent, once built (for the errors it may raise). */
  req: QueueRequest | undefined,
) => boolean

/**
 * What `followJobs()` from `fetch-queue/jobs` returns: pass it as `createQueue({ follow })`. The
 * queue calls it once, lending the follower what it needs of its inside (DESIGN §2.10), so an app
 * that does not follow jobs does not bundle the code that does. Its arguments are not public API.
 */
export interface FollowJobs {
  /** @internal */
  (
    queue: FollowSettings,
    events: Emitter<QueueEvents>,
    /** Parks an item at its place until `delay` ms have passed, or until "try now". */
    attempts: { _backOff(it: Item, error: Error | undefined, delay: number): void },
    scheduler: Scheduler,
    /** Starts what may start in the lane. */
    pump: (lane: Lane) => void,
    /** Settles the item with a response: `sent`, its callers resolved, the item gone. */
    deliver: (it: Item, response: Response, ctrl?: AbortController) => void,
    /** Fails the item as any failure does (`failed`, then rejected or parked). */
    fail: (it: Item, error: Error) => void,
    persist: Persistence | undefined,
  ): Follower
}
