/**
 * The queue's own guarantees, checked under a real HTTP client: write order, no overlap, abort
 * (queued and in flight) and the client's own timeout. Each client file describes how its client
 * makes a read, a write and a timed write; the rules are the same for all.
 */
import { describe, expect, it } from 'vitest'
import { drive, outcome, type Suite, until, wireUp } from './twice.ts'

export type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One client, wired to the `fetch` it was given. Paths are relative to the recorder's base. */
export interface Client {
  read(path: string, signal?: AbortSignal): Promise<unknown>
  write(method: Method, path: string, json: unknown, signal?: AbortSignal): Promise<unknown>
  /** A POST cut by the client's own timeout after `ms`. */
  timed(path: string, ms: number): Promise<unknown>
}

const keyOf = (url: string) => new URL(url, 'http://x').searchParams.get('key')

export function guarantees(
  name: string,
  suite: Suite,
  make: (fetch: typeof globalThis.fetch) => Client,
) {
  describe(`${name}: the queue’s guarantees hold under the client`, () => {
    it('2.2 writes reach the server one at a time, in call order, and reads never overlap them', async () => {
      const queue = suite.queue()
      const api = make(wireUp(queue))
      const calls = [
        api.write('POST', 'hold?key=w1', 1),
        api.read('hold?key=r1'),
        api.read('hold?key=r2'),
        api.write('PUT', 'hold?key=w2', 2),
        api.write('DELETE', 'hold?key=w3', 3),
      ]
      await drive(suite.server, queue, 5)
      const answers = await Promise.all(calls)
      expect(answers).toEqual(['w1', 'r1', 'r2', 'w2', 'w3'].map((key) => ({ key })))
      const seen = suite.server.take()
      expect(seen.map((r) => keyOf(r.url))).toEqual(['w1', 'r1', 'r2', 'w2', 'w3'])
      // r1 and r2 ran side by side; nothing ever ran beside a write.
      expect(seen.map((r) => r.writesOpen)).toEqual([0, 0, 0, 0, 0])
      expect(seen.map((r) => r.open)).toEqual([0, 0, 1, 0, 0])
    })

    it('2.6 the client’s signal aborts a queued write: it never reaches the server, the lane goes on', async () => {
      const plain = await outcome(make(fetch).write('POST', 'echo', 0, AbortSignal.abort()))
      const queue = suite.queue()
      const api = make(wireUp(queue))
      const controller = new AbortController()
      const first = api.write('POST', 'hold?key=first', 1)
      const aborted = outcome(api.write('POST', 'hold?key=aborted', 2, controller.signal))
      const after = api.write('POST', 'hold?key=after', 3)
      await suite.server.whenHeld(1)
      controller.abort()
      const error = await aborted
      expect(error).toMatchObject({ ok: false, name: plain.ok ? 'resolved' : plain.name })
      await drive(suite.server, queue, 2)
      await Promise.all([first, after])
      expect(suite.server.take().map((r) => keyOf(r.url))).toEqual(['first', 'after'])
    })

    it('2.6 the client’s signal aborts an in-flight write: the connection closes, the next write goes out', async () => {
      const queue = suite.queue()
      const api = make(wireUp(queue))
      const controller = new AbortController()
      const aborted = outcome(api.write('POST', 'hold?key=inflight', 1, controller.signal))
      const next = api.write('POST', 'hold?key=next', 2)
      await suite.server.whenHeld(1)
      controller.abort()
      await suite.server.whenClosed('inflight')
      expect(await aborted).toMatchObject({ ok: false })
      await drive(suite.server, queue, 1)
      expect(await next).toEqual({ key: 'next' })
      expect(suite.server.take().map((r) => keyOf(r.url))).toEqual(['inflight', 'next'])
    })

    it('the client’s own timeout rejects as it does with fetch, and frees the lane', async () => {
      const plain = await outcome(make(fetch).timed('hold?key=t', 50))
      await suite.server.whenClosed('t')
      const queue = suite.queue()
      const api = make(wireUp(queue))
      const queued = await outcome(api.timed('hold?key=t', 50))
      expect(plain).toMatchObject({ ok: false })
      expect(queued).toEqual(plain)
      await suite.server.whenClosed('t')
      const next = api.write('POST', 'hold?key=after-timeout', 2)
      await until(() => suite.server.held.length === 1, 'the next write')
      suite.server.held[0]!.release()
      expect(await next).toEqual({ key: 'after-timeout' })
    })
  })
}
