// A real Node `dispatcher` (an undici Agent) passed by each client reaches the wire through the
// queue, on every attempt, exactly as it does with plain fetch.
import ky from 'ky'
import { createFetch } from 'ofetch'
import createClient from 'openapi-fetch'
import { Agent } from 'undici'
import { up } from 'up-fetch'
import { describe, expect, it } from 'vitest'
import wretch from 'wretch'
import { compatSuite, wireUp } from './support/twice.ts'

const suite = compatSuite()

/** An Agent that counts the requests it dispatched. */
class CountingAgent extends Agent {
  count = 0
  override dispatch(...args: Parameters<Agent['dispatch']>) {
    this.count++
    return super.dispatch(...args)
  }
}

type Call = (fetch: typeof globalThis.fetch, dispatcher: Agent, base: string) => Promise<unknown>

const calls: [string, Call][] = [
  ['fetch itself', (f, dispatcher, base) => f(`${base}/data.json`, { dispatcher } as RequestInit)],
  [
    'ky (unknown options go to fetch’s init)',
    (f, dispatcher, base) =>
      ky
        .create({ prefixUrl: base, fetch: f, retry: 0 })
        .get('data.json', { dispatcher } as never)
        .json(),
  ],
  [
    'openapi-fetch (requestInitExt)',
    (f, dispatcher, base) =>
      createClient<{
        '/data.json': { get: { responses: { 200: { content: { 'application/json': unknown } } } } }
      }>({
        baseUrl: base,
        fetch: f,
        requestInitExt: { dispatcher },
      }).GET('/data.json'),
  ],
  [
    'ofetch (its whole options object)',
    (f, dispatcher, base) =>
      createFetch({ fetch: f })(`${base}/data.json`, { dispatcher } as never),
  ],
  [
    'wretch (options)',
    (f, dispatcher, base) =>
      wretch(`${base}/data.json`).polyfills({ fetch: f }).options({ dispatcher }).get().json(),
  ],
  [
    'up-fetch (its options)',
    (f, dispatcher, base) => up(f)(`${base}/data.json`, { dispatcher } as never),
  ],
]

describe('pass-through: Node’s dispatcher reaches the wire through the queue', () => {
  it.each(calls)(
    '%s: the dispatcher sends the request, with fetch and through the queue',
    async (_, call) => {
      const plain = new CountingAgent()
      await call(fetch, plain, suite.server.base)
      const queued = new CountingAgent()
      await call(wireUp(suite.queue()), queued, suite.server.base)
      const direct = new CountingAgent()
      await call(suite.queue().fetch, direct, suite.server.base)
      expect(plain.count).toBe(1)
      expect(queued.count).toBe(1)
      expect(direct.count).toBe(1)
      await Promise.all([plain.close(), queued.close(), direct.close()])
    },
  )
})
