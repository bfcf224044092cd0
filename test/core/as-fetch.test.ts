// queue.asFetch(): a plain `typeof fetch` for HTTP clients. A client's options object is read as
// fetch reads it, never as the queue's.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

describe('asFetch: a client’s options are never read as the queue’s', () => {
  it('queue field names in a client’s init (retry, timeout, dedupe, kind, json, meta) are ignored', async () => {
    const { queue, t, clock } = setup({ timeout: 60_000 })
    const f = queue.asFetch()
    const init = {
      method: 'POST',
      body: 'x',
      retry: false,
      timeout: 10,
      dedupe: true,
      kind: 'read',
      json: { not: 'sent' },
      meta: 'client',
    }
    const a = settle(f(url('/a'), init as RequestInit))
    const b = settle(f(url('/a'), init as RequestInit))
    await flush()
    expect(a.status).toBe('pending')
    expect(t.calls).toHaveLength(1)
    expect(t.calls[0]!.body).toBe('x')
    // Not a read: the second write waits; not deduped: both stay; no 10 ms timeout.
    expect(queue.getSnapshot().items.map((i) => [i.kind, i.meta])).toEqual([
      ['write', undefined],
      ['write', undefined],
    ])
    await clock.advance(1000)
    expect(t.calls[0]!.signal.aborted).toBe(false)
    t.calls[0]!.respond(503)
    await flush()
    // A 503 is the queue's to retry, with its own policy: not ofetch's `retry: false`.
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    expect(b.status).toBe('pending')
  })

  it('the queue’s options given once apply to every call', async () => {
    const { queue, t } = setup()
    const f = queue.asFetch({ dedupe: true, meta: { from: 'client' }, retry: 0 })
    queue.fetch(url('/w'), { method: 'POST' })
    const first = f(url('/stats'))
    const second = f(url('/stats'))
    await flush()
    expect(queue.getSnapshot().items.map((i) => i.meta)).toEqual([undefined, { from: 'client' }])
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond(200, 'fresh')
    expect(await (await first).text()).toBe('fresh')
    expect(await (await second).text()).toBe('fresh')
    expect(t.calls).toHaveLength(2)
  })

  it('a function of the call picks the options per request, from its URL and method', async () => {
    const { queue } = setup()
    const seen: [string, string][] = []
    const f = queue.asFetch(({ url, method }) => {
      seen.push([method, url])
      return { meta: method }
    })
    f(new Request(url('/r'), { method: 'put', body: 'x' }))
    f(url('/s'), { method: 'delete' })
    f(new URL(url('/u')))
    await flush()
    expect(seen).toEqual([
      ['PUT', url('/r')],
      ['DELETE', url('/s')],
      ['GET', url('/u')],
    ])
    expect(queue.getSnapshot().items.map((i) => i.meta)).toEqual(['PUT', 'DELETE', 'GET'])
  })

  it('a response of any status resolves, as with fetch; throwHttpErrors: true opts in to HttpError', async () => {
    const { queue } = setup({}, { auto: () => 404 })
    expect((await queue.asFetch()(url('/missing'))).status).toBe(404)
    const strict = await queue
      .asFetch({ throwHttpErrors: true })(url('/missing'))
      .catch((e) => e)
    expect(strict.name).toBe('HttpError')
  })

  it('queue.fetch keeps its extras for direct calls, and ignores a third argument', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST', json: { a: 1 } })
    // up-fetch calls fetch(request, options, ctx): ctx is not the queue's.
    ;(queue.fetch as (...args: unknown[]) => unknown)(url('/b'), { method: 'POST' }, { retry: -1 })
    await flush()
    expect(t.calls[0]!.body).toBe('{"a":1}')
    expect(queue.getSnapshot().pending).toBe(2)
  })

  it('is typed as a plain fetch', () => {
    const { queue } = setup()
    expectTypeOf(queue.asFetch()).toEqualTypeOf<typeof fetch>()
    expectTypeOf(queue.asFetch)
      .parameter(0)
      .exclude<undefined>()
      .exclude<Function>()
      .not.toHaveProperty('json')
  })
})
