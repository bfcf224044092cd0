import type { Transport } from '../types.ts'

/**
 * The default transport. Reads `globalThis.fetch` at call time, so test doubles installed later
 * work. The signal is a getter on the request (its AbortController is made only when read), and
 * wrappers of `fetch` (msw, monitoring agents) often spread the init, which drops getters: so it
 * goes as an own property.
 */
export const fetchTransport: Transport = (request) =>
  globalThis.fetch(request.url, { ...request, signal: request.signal })
