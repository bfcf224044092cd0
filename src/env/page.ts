/**
 * Calls `listener` when the page is left (`pagehide`: a navigation, a reload, a closed tab, or
 * the back-forward cache). Reads `window` at call time; a no-op where there is none (Node, SSR).
 */
export function onPageHide(listener: () => void): () => void {
  const win = globalThis.window
  if (!win?.addEventListener) return () => {}
  win.addEventListener('pagehide', listener)
  return () => win.removeEventListener('pagehide', listener)
}
