import type { Clock, OnlineSource, RetryPolicy } from './types.ts'

/**
 * What a queue lends its add-ons (`fetch-queue/watch`, `fetch-queue/jobs`): its clock, online
 * source and retry policy, so an add-on backs off and wakes exactly as the queue does. A symbol,
 * so it never shows in the public object's keys; not part of the public API.
 */
export const HOST: unique symbol = Symbol.for('fetch-queue.host')

export interface QueueHost {
  readonly clock: Clock
  readonly online: OnlineSource
  readonly retry: Required<RetryPolicy>
}

/** The host of a queue made by `createQueue`. Throws a TypeError for anything else. */
export function hostOf(queue: object): QueueHost {
  const host = (queue as { [HOST]?: QueueHost })[HOST]
  if (!host) throw new TypeError('fetch-queue: expected a queue made by createQueue()')
  return host
}
