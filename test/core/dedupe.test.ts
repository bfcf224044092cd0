import { describe, expect, it } from 'vitest'
import { defineSpool, type QueueEvents, type SpoolRecord } from '../../src/index.ts'
import { record } from '../spool/support/records.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

describe('2.3 dedupe', () => {
  it('2.3 a pending item with the same key is removed and the new item goes to the tail', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/stops'), { method: 'PUT', body: 'v1', dedupe: true })
    queue.fetch(url('/other'), { method: 'POST' })
    queue.fetch(url('/stops'), { method: 'PUT', body: 'v2', dedupe: true })
    expect(queue.getSnapshot().items.map((i) => i.url.slice(-6))).toEqual([
      '/block',
      '/other',
      '/stops',
    ])
    for (let i = 0; i < 3; i++) {
      await flush()
      t.calls[i]!.respond()
    }
    expect(t.calls.map((c) => `${c.label} ${c.body ?? ''}`.trim())).toEqual([
      'POST /block',
      'POST /other',
      'PUT /stops v2',
    ])
  })

  it('2.3 the removed item follows the new one: every waiter gets its own readable body', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    const first = queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: 'doc' })
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: 'doc' })
    const third = queue.fetch(url('/doc'), { method: 'PUT', body: '3', dedupe: 'doc' })
    await flush()
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond(200, 'saved 3')
    const responses = await Promise.all([first, second, third])
    expect(new Set(responses).size).toBe(3)
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual([
      'saved 3',
      'saved 3',
      'saved 3',
    ])
    expect(t.calls).toHaveLength(2)
  })

  /** Two callers of one write (the first replaced by the second), answered with `res`. */
  async function twoCallers(res: Response) {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    const first = queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: 'doc' })
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: 'doc' })
    await flush()
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond(res)
    return Promise.all([first, second])
  }

  it("2.3 the newest caller gets the transport's own Response, each replaced caller a copy", async () => {
    // A transport may answer with a Response that carries more than a clone keeps.
    const own = Object.assign(new Response('saved 2'), { served: 'edge-1' })
    const [a, b] = await twoCallers(own)
    expect(b).toBe(own)
    expect(a).not.toBe(own)
    expect(await a.text()).toBe('saved 2')
  })

  it('2.3 a Response whose body the transport locked settles every caller with it as it is', async () => {
    const locked = new Response('streamed elsewhere')
    locked.body!.getReader()
    // clone() throws on a locked body: there is nothing to copy, so each caller gets the original.
    expect(await twoCallers(locked)).toEqual([locked, locked])
  })

  it('2.3 the removed item shares the failure of the new one', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    const first = settle(queue.fetch(url('/doc'), { method: 'PUT', dedupe: true }))
    const second = settle(queue.fetch(url('/doc'), { method: 'PUT', dedupe: true }))
    await flush()
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond(409)
    await flush()
    expect(first.status).toBe('rejected')
    expect((first.reason as Error).name).toBe('HttpError')
    expect(second.reason).toBe(first.reason)
  })

  it('2.3 the removed item raises superseded with both items', async () => {
    const { queue } = setup()
    const seen: QueueEvents['superseded'][] = []
    queue.on('superseded', (e) => seen.push(e))
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: true, meta: 'old' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: true, meta: 'new' })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.item.meta).toBe('old')
    expect(seen[0]!.by.meta).toBe('new')
    expect(seen[0]!.item.id).not.toBe(seen[0]!.by.id)
  })

  it('2.3 the item that replaced another can be found by the id its superseded event gives', async () => {
    const { queue } = setup()
    const seen: QueueEvents['superseded'][] = []
    queue.on('superseded', (e) => seen.push(e))
    queue.pause()
    const old = settle(queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true }))
    const newer = settle(queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true }))
    expect(queue.discard(seen[0]!.by.id)).toBe(true)
    await flush()
    expect(newer.status).toBe('rejected')
    expect((newer.reason as DOMException).message).toBe('The item was discarded')
    expect(old.reason).toBe(newer.reason)
    expect(queue.getSnapshot().items).toEqual([])
  })

  it('2.3 2.7 replacing the only pending write is never idle: whenIdle() waits for the newer one', async () => {
    const { queue, t } = setup()
    const log: string[] = []
    queue.pause()
    queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true }).catch(() => {})
    queue.whenIdle().then(() => log.push('idle'))
    queue
      .fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
      .then(() => log.push('sent'))
    await flush()
    expect(log).toEqual([])
    expect(queue.getSnapshot().status).toBe('paused')
    queue.resume()
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(log).toEqual(['sent', 'idle'])
  })

  it('2.3 an in-flight write is never touched', async () => {
    const { queue, t } = setup()
    const events: unknown[] = []
    queue.on('superseded', (e) => events.push(e))
    const first = queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true })
    await flush()
    expect(t.calls).toHaveLength(1)
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    await flush()
    expect(t.calls[0]!.signal.aborted).toBe(false)
    expect(events).toEqual([])
    t.calls[0]!.respond(200, 'one')
    await flush()
    t.calls[1]!.respond(200, 'two')
    expect(await (await first).text()).toBe('one')
    expect(await (await second).text()).toBe('two')
    expect(t.calls.map((c) => c.body)).toEqual(['1', '2'])
  })

  it('2.3 a write backing off after the server answered is pending, so it is replaced', async () => {
    const { queue, t } = setup()
    const first = queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true })
    await flush()
    t.calls[0]!.respond(503)
    await flush()
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    expect(queue.getSnapshot().items).toHaveLength(1)
    await flush()
    t.calls[1]!.respond(200, 'two')
    expect(await (await first).text()).toBe('two')
    expect(await (await second).text()).toBe('two')
    expect(t.calls.map((c) => c.body)).toEqual(['1', '2'])
  })

  it('2.3 a write whose attempt failed without an answer is in doubt: never replaced, resent first', async () => {
    const { queue, t } = setup()
    const first = queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true })
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    // It may have reached the server: a newer save must not overtake it.
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    const third = queue.fetch(url('/doc'), { method: 'PUT', body: '3', dedupe: true })
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'queued'])
    queue.retry()
    await flush()
    t.calls[1]!.respond(200, 'one')
    await flush()
    t.calls[2]!.respond(200, 'three')
    expect(await (await first).text()).toBe('one')
    expect(await (await second).text()).toBe('three')
    expect(await (await third).text()).toBe('three')
    expect(t.calls.map((c) => c.body)).toEqual(['1', '1', '3'])
    const key = (i: number) => t.calls[i]!.request.headers.get('idempotency-key')
    expect(key(1)).toBe(key(0))
    expect(key(2)).not.toBe(key(0))
  })

  it('2.3 a parked failed write is not replaced', async () => {
    const { queue, t } = setup({ onFailure: 'pause' })
    const first = settle(queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true }))
    await flush()
    t.calls[0]!.respond(400)
    await flush()
    const [parked] = queue.getSnapshot().items
    expect(parked!.state).toBe('failed')
    queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['failed', 'queued'])
    expect(first.status).toBe('pending')
  })

  it('2.3 a parked failed write keeps its callers: the newer write does not answer them', async () => {
    const { queue, t } = setup({ onFailure: 'pause' })
    const superseded: unknown[] = []
    queue.on('superseded', (e) => superseded.push(e))
    const first = settle(queue.fetch(url('/doc'), { method: 'PUT', body: '1', dedupe: true }))
    await flush()
    t.calls[0]!.respond(400)
    await flush()
    const second = queue.fetch(url('/doc'), { method: 'PUT', body: '2', dedupe: true })
    queue.discard(queue.getSnapshot().items[0]!.id)
    await flush()
    t.calls[1]!.respond(200, 'two')
    expect(await (await second).text()).toBe('two')
    expect(first.status).toBe('rejected')
    expect(superseded).toEqual([])
  })

  it('2.3 only a write is kept for doubt: a read retrying after a lost answer is replaced', async () => {
    const { queue, t } = setup()
    const first = queue.fetch(url('/stats'), { dedupe: true })
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    const second = queue.fetch(url('/stats'), { dedupe: true })
    expect(queue.getSnapshot().items).toHaveLength(1)
    await flush()
    t.calls[1]!.respond(200, 'fresh')
    expect(await (await first).text()).toBe('fresh')
    expect(await (await second).text()).toBe('fresh')
    expect(t.calls).toHaveLength(2)
  })

  it('2.3 a read its caller aborted is not replaced: the next read with its key is a new one', async () => {
    const { queue, t } = setup()
    const superseded: unknown[] = []
    queue.on('superseded', (e) => superseded.push(e))
    const ac = new AbortController()
    const first = settle(queue.fetch(url('/stats'), { dedupe: true, signal: ac.signal }))
    await flush()
    ac.abort()
    const second = queue.fetch(url('/stats'), { dedupe: true })
    await flush()
    expect(superseded).toEqual([])
    expect(first.status).toBe('rejected')
    t.calls.at(-1)!.respond(200, 'fresh')
    expect(await (await second).text()).toBe('fresh')
  })

  it('2.3 an in-flight read with the same key is aborted and follows the new item', async () => {
    const { queue, t } = setup()
    const first = queue.fetch(url('/stats'), { dedupe: true })
    await flush()
    const aborted = t.calls[0]!.signal
    const second = queue.fetch(url('/stats'), { dedupe: true })
    expect(aborted.aborted).toBe(true)
    expect((aborted.reason as DOMException).name).toBe('AbortError')
    expect((aborted.reason as DOMException).message).toBe(
      'Superseded by a newer request with the same dedupe key',
    )
    await flush()
    expect(t.calls).toHaveLength(2)
    t.calls[1]!.respond(200, 'fresh')
    const [a, b] = await Promise.all([first, second])
    expect(a).not.toBe(b)
    expect(await a.text()).toBe('fresh')
    expect(await b.text()).toBe('fresh')
  })

  it('2.3 the default key includes the method', async () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: true })
    queue.fetch(url('/doc'), { method: 'DELETE', dedupe: true })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: true })
    expect(queue.getSnapshot().items.map((i) => i.method)).toEqual(['POST', 'DELETE', 'PUT'])
  })

  it('2.3 the default key is the absolute URL: query strings differ, relative spellings do not', () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/s?a=1'), { dedupe: true })
    queue.fetch(url('/s?a=2'), { dedupe: true })
    queue.fetch(new URL('/x/../s?a=1', url('/')), { dedupe: true })
    expect(queue.getSnapshot().items.map((i) => i.url.replace(url(''), ''))).toEqual([
      '/block',
      '/s?a=2',
      '/s?a=1',
    ])
  })

  it('2.3 a read never removes a write, even with the same custom key', () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: 'doc' })
    queue.fetch(url('/doc'), { dedupe: 'doc' })
    queue.fetch(url('/doc'), { dedupe: 'doc' })
    expect(queue.getSnapshot().items.map((i) => i.kind)).toEqual(['write', 'write', 'read'])
  })

  it('2.3 a write never removes a read with the same custom key', () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/doc'), { dedupe: 'doc' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: 'doc' })
    expect(queue.getSnapshot().items.map((i) => i.kind)).toEqual(['write', 'read', 'write'])
  })

  it('2.3 items without dedupe are never replaced', () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    queue.fetch(url('/doc'), { method: 'PUT' })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: true })
    queue.fetch(url('/doc'), { method: 'PUT', dedupe: false })
    expect(queue.getSnapshot().items).toHaveLength(4)
  })

  it('2.3 enqueue with dedupe is O(1): 20,000 deduped writes leave one item', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    for (let i = 0; i < 20_000; i++)
      queue.fetch(url('/doc'), { method: 'PUT', body: String(i), dedupe: true })
    expect(queue.getSnapshot().pending).toBe(2)
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(t.calls[1]!.body).toBe('19999')
  })

  it('2.3 the cost of a dedupe does not grow with the items queued before the replaced one', () => {
    // Replacing the item at the far end of a long lane: a scan for the key would cost the whole
    // lane each time, 1,000 times more with 20,000 fillers than with 20. The key map costs the same.
    const perReplace = (fillers: number) => {
      const { queue } = setup()
      queue.fetch(url('/block'), { method: 'POST' })
      for (let i = 0; i < fillers; i++)
        queue.fetch(url(`/f${i}`), { method: 'PUT', body: '', dedupe: `f${i}` })
      queue.fetch(url('/doc'), { method: 'PUT', body: '', dedupe: 'doc' })
      const n = 2000
      const start = performance.now()
      for (let i = 0; i < n; i++)
        queue.fetch(url('/doc'), { method: 'PUT', body: String(i), dedupe: 'doc' })
      const elapsed = performance.now() - start
      expect(queue.getSnapshot().pending).toBe(fillers + 2)
      return elapsed / n
    }
    perReplace(20) // warm up
    const short = Math.min(perReplace(20), perReplace(20))
    const long = Math.min(perReplace(20_000), perReplace(20_000))
    expect(long / short).toBeLessThan(10)
  })
})

describe('2.3 2.7 dedupe keys of restored items', () => {
  const storedRead = (path: string) =>
    record({
      kind: 'read',
      method: 'GET',
      url: url(path),
      headers: [],
      body: undefined,
      key: undefined,
      keyHeader: undefined,
      dedupe: `GET ${url(path)}`,
    })
  const spoolOf = (records: SpoolRecord[]) =>
    defineSpool({
      name: 'stored reads',
      load: () => ({ records }),
      put() {},
      delete() {},
      clear() {},
    })

  it('2.3 2.7 a restored read takes its dedupe key: a newer read with that key replaces it', async () => {
    const stored = storedRead('/stats')
    const { queue, t } = setup({ spool: spoolOf([stored]) })
    const superseded: QueueEvents['superseded'][] = []
    queue.on('superseded', (e) => superseded.push(e))
    queue.pause()
    await queue.ready
    expect(queue.getSnapshot().items.map((i) => i.id)).toEqual([stored.id])
    const fresh = queue.fetch(url('/stats'), { dedupe: true })
    expect(queue.getSnapshot().items).toHaveLength(1)
    expect(superseded.map((e) => e.item.id)).toEqual([stored.id])
    queue.resume()
    await flush()
    expect(t.calls).toHaveLength(1)
    t.calls[0]!.respond(200, 'fresh')
    expect(await (await fresh).text()).toBe('fresh')
  })

  it('2.3 2.7 a restored read without a dedupe key is never replaced, whatever key a newer read uses', async () => {
    const stored = { ...storedRead('/stats'), dedupe: undefined }
    const { queue } = setup({ spool: spoolOf([stored]) })
    queue.pause()
    await queue.ready
    queue.fetch(url('/stats'), { dedupe: 'undefined' })
    expect(queue.getSnapshot().items.map((i) => i.id)).toContain(stored.id)
  })

  it('2.3 2.7 a restored read leaves its dedupe key to a live item that holds it', async () => {
    const stored = storedRead('/stats')
    const { queue } = setup({ spool: spoolOf([stored]) })
    const superseded: QueueEvents['superseded'][] = []
    queue.on('superseded', (e) => superseded.push(e))
    queue.pause()
    // Enqueued while the spool is read, and older than the record: both stay.
    queue.fetch(url('/stats'), { dedupe: true, persist: true })
    const live = queue.getSnapshot().items[0]!.id
    await queue.ready
    expect(queue.getSnapshot().items).toHaveLength(2)
    queue.fetch(url('/stats'), { dedupe: true })
    expect(superseded.map((e) => e.item.id)).toEqual([live])
  })
})
