import type { Clock, OnlineSource } from './types.ts'

/**
 * What the queue believes of the connection (DESIGN §2.4): the online source's word, which is a
 * hint only, until an answer from the server proves the connection. An answer to an attempt
 * that started before the browser said offline proves nothing.
 */
export function connectivity(
  source: OnlineSource,
  clock: Clock,
  changed: (online: boolean) => void,
) {
  let online = source.isOnline()
  let offlineSince = -Infinity
  const set = (isOnline: boolean) => {
    if (online && !isOnline) offlineSince = clock.now()
    online = isOnline
    changed(isOnline)
  }
  return {
    isOnline: () => online,
    /** The server answered an attempt that started at `startedAt`. */
    answered(startedAt: number) {
      if (!online && startedAt >= offlineSince) set(true)
    },
    stop: source.subscribe(set),
  }
}
