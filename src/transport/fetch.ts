import type { Transport } from '../types.ts'

/** The default transport. Reads `globalThis.fetch` at call time, so test doubles installed later work. */
export const fetchTransport: Transport = (request) => globalThis.fetch(request.url, request)
