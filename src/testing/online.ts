import type { OnlineSource } from '../types.ts'

/** An online source the test switches by hand. */
export interface ManualOnline extends OnlineSource {
  /** Sets the state and tells subscribers, as the browser's `online` and `offline` events do. */
  setOnline(online: boolean): void
  /**
   * The page became visible again: subscribers hear `onChange(isOnline())`, which the queue
   * takes as "retry now", as it does with the browser's `visibilitychange`.
   */
  becomeVisible(): void
  /** How many subscribers are attached; 0 after the queue's `dispose()`. */
  readonly listeners: number
}

/**
 * An online source to pass as `createQueue({ online })`, instead of `navigator.onLine` and its
 * events. Starts online unless `initial` is false.
 *
 * @example
 * const network = manualOnline(false)
 * const queue = createQueue({ online: network, transport })
 * queue.fetch('/stops', { method: 'POST' })
 * expect(queue.getSnapshot().status).toBe('waiting')
 * network.setOnline(true) // the write goes out at once
 */
export function manualOnline(initial = true): ManualOnline {
  let online = initial
  const listeners = new Set<(online: boolean) => void>()
  const tell = () => {
    for (const l of [...listeners]) l(online)
  }
  return {
    isOnline: () => online,
    subscribe(onChange) {
      listeners.add(onChange)
      return () => {
        listeners.delete(onChange)
      }
    },
    setOnline(value) {
      online = value
      tell()
    },
    becomeVisible: tell,
    get listeners() {
      return listeners.size
    },
  }
}
