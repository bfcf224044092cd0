import type { OnlineSource } from '../types.ts'

/**
 * `navigator.onLine` plus the `online`, `offline` and `visibilitychange` events. When the browser
 * cannot say, it assumes online: `navigator.onLine` gives false negatives, never false positives.
 * Nothing is touched until `subscribe` is called, so importing this during SSR is safe.
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
