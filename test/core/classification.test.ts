import { describe, expect, it } from 'vitest'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

describe('2.1 classification', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'get', 'head', 'options'])(
    '2.1 %s is a read',
    async (method) => {
      const { queue } = setup()
      queue.fetch(url('/a'), { method })
      expect(queue.getSnapshot().items[0]!.kind).toBe('read')
    },
  )

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post', 'PROPFIND'])(
    '2.1 %s is a write',
    async (method) => {
      const { queue } = setup()
      queue.fetch(url('/a'), { method })
      expect(queue.getSnapshot().items[0]!.kind).toBe('write')
    },
  )

  it('2.1 no method means GET, a read', () => {
    const { queue } = setup()
    queue.fetch(url('/a'))
    expect(queue.getSnapshot().items[0]).toMatchObject({ method: 'GET', kind: 'read' })
  })

  it('2.1 kind overrides the method both ways', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/search'), { method: 'POST', kind: 'read', body: 'q' })
    queue.fetch(url('/search2'), { method: 'POST', kind: 'read', body: 'q' })
    queue.fetch(url('/ping'), { kind: 'write' })
    queue.fetch(url('/after'))
    const kinds = queue.getSnapshot().items.map((i) => i.kind)
    expect(kinds).toEqual(['read', 'read', 'write', 'read'])
    await flush()
    // Both POST-as-read run together; the GET-as-write waits for them and blocks the read after it.
    expect(t.labels()).toEqual(['POST /search', 'POST /search2'])
    t.calls[0]!.respond()
    t.calls[1]!.respond()
    await flush()
    expect(t.labels()).toEqual(['POST /search', 'POST /search2', 'GET /ping'])
    t.calls[2]!.respond()
    await flush()
    expect(t.labels().at(-1)).toBe('GET /after')
  })

  it('2.1 a Request input is classified by its method', () => {
    const { queue } = setup()
    queue.fetch(new Request(url('/r'), { method: 'PUT', body: 'x' }))
    queue.fetch(new Request(url('/r')))
    expect(queue.getSnapshot().items.map((i) => [i.method, i.kind])).toEqual([
      ['PUT', 'write'],
      ['GET', 'read'],
    ])
  })

  it('2.1 the method is normalized the way fetch does it', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'post' })
    queue.fetch(url('/b'), { method: 'patch' })
    expect(queue.getSnapshot().items.map((i) => i.method)).toEqual(['POST', 'patch'])
    await flush()
    expect(t.calls[0]!.method).toBe('POST')
  })
})
