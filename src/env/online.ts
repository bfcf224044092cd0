import type { OnlineSource } from '../types.ts'

/**
 * `navigator.onLine` plus the `online`, `offline` and `visibilitychange` events. It is a hint:
 * `true` does not mean the server is reachable, and `false` is wrong on some VPNs, drivers and
 * captive networks. So the queue never holds writes back on it (DESIGN §2.4): "offline" shows in
 * the snapshot, and `online` or the page becoming visible wakes retries at once. When the browser
 * cannot say, it counts as online. Nothing is touched until `subscribe` is called, so importing
 * this during SSR is safe.
 */
export function browserOnline(): OnlineSource {
  const isOnline = () => globalThis.navigator?.onLine !== false
  return {
    isOnline,
    subscribe(onChange) {
      const win = globalThis.window
      const doc = globalThis.document
      if (!win?.addEventListener) return () => {}
      const online = () => onChange(true)
      const offline = () => onChange(false)
      // A tab coming back to the foreground is a good moment to retry: phones suspend background tabs.
      const visible = () => doc.visibilityState === 'visible' && onChange(isOnline())
      win.addEventListener('online', online)
      win.addEventListener('offline', offline)
      doc?.addEventListener('visibilitychange', visible)
      return () => {
        win.removeEventListener('online', online)
        win.removeEventListener('offline', offline)
        doc?.removeEventListener('visibilitychange', visible)
      }
    },
  }
}
