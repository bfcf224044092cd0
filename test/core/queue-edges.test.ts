// The queue's public methods at their edges (retry, discard, clear, whenIdle, dispose), backoffs
// against the connection, and the queue as followJobs and watch see it.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineSpool, isQueueClosedError, type SpoolLoad } from '../../src/index.ts'
import { followJobs } from '../../src/jobs/index.ts'
import { watch } from '../../src/watch/index.ts'
import { settle, setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

afterEach(() => {
  vi.unstubAllGlobals()
})

/** A spool that records what the queue asks of it; it starts empty. */
function countingSpool() {
  const calls: string[] = []
  const spool = defineSpool({
    name: 'counting',
    load: (): SpoolLoad => ({ records: [] }),
    put(record) {
      calls.push(`put ${record.id}`)
    },
    delete(id) {
      calls.push(`delete ${id}`)
    },
    clear() {
      calls.push('clear')
    },
    dispose() {
      calls.push('dispose')
    },
  })
  return { spool, calls }
}

describe('2.4 retry() and the connection', () => {
  it('2.4 retry() ends every backoff at once: the snapshot shows the item queued, even while paused', async () => {
    const { queue, t } = setup({ timeout: false })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items[0]).toMatchObject({ state: 'retrying' })
    expect(queue.getSnapshot().items[0]!.nextAttemptAt).toBeDefined()
    queue.pause()
    queue.retry()
    await flush()
    expect(queue.getSnapshot().items[0]).toMatchObject({
      state: 'queued',
      nextAttemptAt: undefined,
    })
    expect(t.calls).toHaveLength(1)
  })

  it('2.4 going offline does not end a backoff: nothing is sent before the delay is over', async () => {
    const { queue, t, online } = setup({ timeout: false })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.fail()
    await flush()
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
    online.setOnline(false)
    await flush()
    expect(t.calls).toHaveLength(1)
    expect(queue.getSnapshot().items[0]!.state).toBe('retrying')
  })

  it('2.4 retry(id) of an item on the wire changes nothing: no second request overlaps it', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    const [item] = queue.getSnapshot().items
    expect(item!.state).toBe('sending')
    queue.retry(item!.id)
    await flush()
    expect(t.calls).toHaveLength(1)
    expect(queue.getSnapshot().items[0]).toMatchObject({ state: 'sending', attempts: 1 })
  })

  it('2.4 retry(id) and discard(id) of an unknown id do nothing', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    expect(() => queue.retry('no-such-id')).not.toThrow()
    expect(queue.discard('no-such-id')).toBe(false)
    await flush()
    expect(t.calls).toHaveLength(1)
  })

  it('2.4 retry(id) of a parked failed write clears its error from the snapshot', async () => {
    const { queue, t } = setup({ onFailure: 'pause' })
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond(400)
    await flush()
    const [failed] = queue.getSnapshot().items
    expect(failed!.state).toBe('failed')
    expect(failed!.error).toBeDefined()
    queue.retry(failed!.id)
    await flush()
    expect(t.calls).toHaveLength(2)
    expect(queue.getSnapshot().items[0]).toMatchObject({ state: 'sending', error: undefined })
  })
})

describe('2.6 discard and clear', () => {
  it('2.6 discard(id) of an item already delivered returns false', async () => {
    const { queue, t } = setup()
    const done = queue.fetch(url('/a'), { method: 'POST' })
    const [item] = queue.getSnapshot().items
    await flush()
    t.calls[0]!.respond()
    expect((await done).status).toBe(200)
    await flush()
    expect(queue.getSnapshot().items).toEqual([])
    expect(queue.discard(item!.id)).toBe(false)
  })

  it('2.6 discard(id) of an item already discarded returns false, even while its call is still on the wire', async () => {
    const { queue, t } = setup({ timeout: false }, { ignoreAbort: true })
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await flush()
    const [item] = queue.getSnapshot().items
    expect(queue.discard(item!.id)).toBe(true)
    await flush()
    expect(p.status).toBe('rejected')
    expect(t.calls[0]!.settled).toBe(false)
    expect(queue.discard(item!.id)).toBe(false)
  })

  it('2.6 discard(id) rejects with an AbortError that says the item was discarded', async () => {
    const { queue } = setup()
    queue.fetch(url('/block'), { method: 'POST' })
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const id = queue.getSnapshot().items[1]!.id
    expect(queue.discard(id)).toBe(true)
    await flush()
    expect(p.reason).toBeInstanceOf(DOMException)
    expect(p.reason).toMatchObject({ name: 'AbortError', message: 'The item was discarded' })
  })

  it('1 clear() rejects with an AbortError that says the queue was cleared', async () => {
    const { queue } = setup()
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await queue.clear()
    await flush()
    expect(p.reason).toBeInstanceOf(DOMException)
    expect(p.reason).toMatchObject({ name: 'AbortError', message: 'The queue was cleared' })
  })

  it('10 clear() empties the spool with one clear(), not one delete per stored write', async () => {
    const { spool, calls } = countingSpool()
    const { queue } = setup({ spool })
    await queue.ready
    settle(queue.fetch(url('/a'), { method: 'POST' }))
    settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    expect(calls.filter((c) => c.startsWith('put'))).toHaveLength(2)
    calls.length = 0
    await queue.clear()
    await flush()
    expect(calls).toEqual(['clear'])
  })
})

describe('1 whenIdle and dispose', () => {
  it('1 a whenIdle() still waiting when the queue is disposed rejects with QueueClosedError', async () => {
    const { queue } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    const idle = settle(queue.whenIdle())
    await flush()
    queue.dispose()
    await flush()
    expect(idle.status).toBe('rejected')
    expect(isQueueClosedError(idle.reason)).toBe(true)
  })

  it('1 dispose() twice is the same as once: the spool is disposed once', async () => {
    const { spool, calls } = countingSpool()
    const { queue } = setup({ spool })
    await queue.ready
    queue.dispose()
    queue.dispose()
    expect(calls.filter((c) => c === 'dispose')).toHaveLength(1)
  })
})

describe('2.6 leaving the page', () => {
  it('2.6 pagehide aborts the attempt on the wire with an AbortError saying the page was left', async () => {
    const page = new EventTarget()
    vi.stubGlobal('window', page)
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    await flush()
    page.dispatchEvent(new Event('pagehide'))
    await flush()
    const { reason } = t.calls[0]!.signal
    expect(reason).toBeInstanceOf(DOMException)
    expect(reason).toMatchObject({ name: 'AbortError', message: 'The page was left' })
  })
})

describe('add-ons run on the queue they are given', () => {
  it('2.10 with followJobs, a 202 with a status URL is followed, not delivered', async () => {
    const { queue, t } = setup({ follow: followJobs() })
    const p = settle(queue.fetch(url('/exports'), { method: 'POST' }))
    await flush()
    t.calls[0]!.respond(202, null, { location: url('/jobs/1') })
    await flush()
    expect(p.status).toBe('pending')
    expect(queue.getSnapshot().items[0]).toMatchObject({
      state: 'accepted',
      location: url('/jobs/1'),
    })
  })

  it("2.11 watch() uses the queue's clock: the next poll starts interval ms after the answer", async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const w = watch(queue, url('/state'), { interval: 250 })
    try {
      await flush()
      expect(t.labels()).toEqual(['GET /state'])
      t.calls[0]!.respond(200, '{}', { 'content-type': 'application/json' })
      await flush()
      await clock.advance(249)
      expect(t.calls).toHaveLength(1)
      await clock.advance(1)
      expect(t.labels()).toEqual(['GET /state', 'GET /state'])
    } finally {
      w.close()
    }
  })
})
