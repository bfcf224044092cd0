/**
 * A DOM for running the examples in Node (happy-dom). In a browser there is nothing to do. It is
 * imported first, because framework runtimes look for `document` when they load.
 */
import { Window } from 'happy-dom'

const window = new Window({ url: 'http://localhost/' })
// Everything the window has and Node lacks (document, navigator, HTMLElement, ...); Node keeps its
// own fetch, URL, events and timers.
for (const name of Object.getOwnPropertyNames(window)) {
  if (name in globalThis) continue
  const value = (window as unknown as Record<string, unknown>)[name]
  Object.defineProperty(globalThis, name, {
    configurable: true,
    writable: true,
    // Methods such as requestAnimationFrame must still be called on the window.
    value: typeof value === 'function' && !/^[A-Z]/.test(name) ? value.bind(window) : value,
  })
}
Object.defineProperty(globalThis, 'window', { configurable: true, value: window })
