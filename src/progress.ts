import type { Attempt } from './attempts.ts'
import type { Emitter, QueueEvents } from './events.ts'
import type { Clock, TransferProgress } from './types.ts'

/** The least time between two `progress` events of one attempt and direction. */
const EVERY = 100

/**
 * Turns a transport's progress reports into `progress` events: at most one per `EVERY` ms per
 * attempt and direction (a report that comes sooner is dropped; the next one carries its bytes
 * too), except the final one (`loaded >= total`), which always goes out. Does nothing while
 * nobody listens.
 */
export const progressEvents =
  (clock: Clock, events: Emitter<QueueEvents>) =>
  (a: Attempt, { direction, loaded, total }: TransferProgress): void => {
    if (!(loaded >= 0) || !/^(up|down)load$/.test(direction))
      throw new TypeError(
        "fetch-queue: progress needs direction 'upload' or 'download', loaded >= 0",
      )
    if (!events.has('progress')) return
    const sent = (a._sent ??= {})
    const last = sent[direction]
    const at = clock.now()
    // `loaded >= undefined` is false: without a total, no report is the final one.
    if (
      last &&
      ((loaded === last[0] && total === last[1]) || (at - last[2] < EVERY && !(loaded >= total!)))
    )
      return
    sent[direction] = [loaded, total, at]
    events.emit('progress', { item: a.item, direction, loaded, total })
  }
