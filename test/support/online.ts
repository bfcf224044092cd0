import type { OnlineSource } from '../../src/index.ts'

export interface FakeOnline extends OnlineSource {
  /** Changes the state and tells subscribers, like the browser's `online`/`offline` events. */
  setOnline(online: boolean): void
  /** The page became visible again: subscribers hear `onChange(isOnline())`. */
  becomeVisible(): void
  readonly listeners: number
}

/** An online source to inject as `online`. */
export function fakeOnline(initial = true): FakeOnline {
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
