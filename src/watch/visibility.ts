/** Tells a watch whether the page is visible. Inject one in tests, or outside a browser. */
export interface VisibilitySource {
  isVisible(): boolean
  subscribe(onChange: (visible: boolean) => void): () => void
}

/**
 * `document.visibilityState` and its `visibilitychange` event, read when needed, so importing
 * this during SSR is safe. Without a document the page counts as visible.
 */
export function pageVisibility(): VisibilitySource {
  const isVisible = () => globalThis.document?.visibilityState !== 'hidden'
  return {
    isVisible,
    subscribe(onChange) {
      const doc = globalThis.document
      if (!doc?.addEventListener) return () => {}
      const listener = () => onChange(isVisible())
      doc.addEventListener('visibilitychange', listener)
      return () => doc.removeEventListener('visibilitychange', listener)
    },
  }
}
