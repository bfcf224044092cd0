// Fields the queue does not know (Node's `dispatcher`, Next.js's `next`, Cloudflare's `cf`,
// `duplex`) reach the transport on every attempt, as a fetch wrapper must pass them, and never
// the spool.
import { describe, expect, it } from 'vitest'
import { memorySpool } from '../../src/index.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const dispatcher = { dispatch: () => true }
const extras = { dispatcher, next: { revalidate: 60 }, cf: { cacheTtl: 5 }, duplex: 'half' }

describe('unknown init fields pass through to the transport', () => {
  it('every attempt carries them, retries included', async () => {
    const { queue, t, clock } = setup({ retry: { baseDelay: 1, maxDelay: 1 } })
    queue.fetch(url('/a'), { method: 'POST', body: 'x', ...extras } as RequestInit)
    await flush()
    t.calls[0]!.fail()
    await clock.advance(10)
    expect(t.calls).toHaveLength(2)
    for (const call of t.calls) expect(call.request).toMatchObject(extras)
    expect((t.calls[1]!.request as { dispatcher?: unknown }).dispatcher).toBe(dispatcher)
  })

  it('beforeSend sees them, and they survive its copy of the request', async () => {
    const seen: unknown[] = []
    const { queue, t } = setup({
      beforeSend: (request) => {
        seen.push((request as { next?: unknown }).next)
        request.headers.set('authorization', 'Bearer t')
      },
    })
    queue.fetch(url('/a'), { ...extras } as RequestInit)
    await flush()
    expect(seen).toEqual([{ revalidate: 60 }])
    expect(t.calls[0]!.request).toMatchObject(extras)
  })

  it('they never reach the spool', async () => {
    const spool = memorySpool()
    const { queue } = setup({ spool })
    queue.fetch(url('/a'), { method: 'PUT', body: 'x', ...extras } as RequestInit)
    await flush()
    const { records } = await spool.load()
    expect(records).toHaveLength(1)
    expect(JSON.stringify(records[0])).not.toMatch(/dispatcher|revalidate|cacheTtl|duplex/)
  })

  it('they cannot replace the request’s own url, method, headers, body or signal', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST', body: 'x', url: 'https://evil.test/' } as RequestInit)
    await flush()
    expect(t.calls[0]!.request.url).toBe(url('/a'))
  })

  it('through asFetch a client’s own option names pass through too; through queue.fetch they are the queue’s', async () => {
    const { queue, t } = setup()
    queue.asFetch()(url('/a'), { retry: 2, timeout: 10, dispatcher } as RequestInit)
    queue.fetch(url('/b'), { retry: 2, timeout: 10_000, dispatcher } as RequestInit)
    await flush()
    expect(t.calls[0]!.request).toMatchObject({ retry: 2, timeout: 10, dispatcher })
    expect(t.calls[1]!.request).toMatchObject({ dispatcher })
    expect(t.calls[1]!.request).not.toHaveProperty('retry')
  })
})
