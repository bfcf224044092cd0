// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://app.test/editor/"}
import { describe, expect, it } from 'vitest'
import { settle, setup } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const key = (h: Headers) => h.get('idempotency-key')

// Firefox cuts a page's requests when a navigation away starts, while the page still runs; the
// queue's retry of the cut write then outlived the page: the same write was on the wire twice,
// from the page that left and from the next one, which restored it from the spool.
describe('2.6 leaving the page', () => {
  it('2.6 pagehide cuts the attempts on the wire; the write is kept, in doubt, and retried with its own key', async () => {
    const { queue, t, clock } = setup({ retry: { baseDelay: 100, maxDelay: 100 } })
    const write = settle(queue.fetch('/stops', { method: 'POST', body: 'a' }))
    const read = settle(queue.fetch('/stats'))
    await flush()
    const [first] = t.calls
    expect(first!.signal.aborted).toBe(false)

    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    await flush()
    expect(first!.signal.aborted).toBe(true)
    expect(queue.getSnapshot().items.map((i) => i.state)).toEqual(['retrying', 'queued'])
    expect([write.status, read.status]).toEqual(['pending', 'pending'])

    // The page came back (the back-forward cache): the write goes again, with the same key.
    await clock.advance(100)
    expect(t.calls).toHaveLength(2)
    expect(key(t.calls[1]!.request.headers)).toBe(key(first!.request.headers))
    t.calls[1]!.respond()
    await flush()
    t.calls[2]!.respond()
    await flush()
    expect([write.status, read.status]).toEqual(['fulfilled', 'fulfilled'])
  })

  it('2.6 pagehide cuts every attempt on the wire, however many', async () => {
    const { queue, t } = setup()
    for (const path of ['/a', '/b', '/c']) void queue.fetch(path)
    void queue.fetch('/d', { method: 'POST', lane: 'other' })
    await flush()
    expect(t.calls).toHaveLength(4)
    window.dispatchEvent(new PageTransitionEvent('pagehide'))
    await flush()
    expect(t.calls.filter((c) => !c.signal.aborted).map((c) => c.url)).toEqual([])
    expect(queue.getSnapshot().items.every((i) => i.state === 'retrying')).toBe(true)
  })
})
