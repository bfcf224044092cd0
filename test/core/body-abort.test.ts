// Aborting after the response arrived aborts the body read, as with fetch (WPT
// fetch/api/abort/general.any.js, "response.text() rejects if already aborted").
import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

describe('2.6 abort after the response', () => {
  it('2.6 aborting the caller’s signal after the response aborts the attempt’s signal, with the reason', async () => {
    const { queue, t } = setup()
    const ctrl = new AbortController()
    const p = queue.fetch(url('/a'), { signal: ctrl.signal })
    await flush()
    t.calls[0]!.respond(200, 'streaming body')
    await p
    expect(t.calls[0]!.signal.aborted).toBe(false)
    const reason = new Error('navigated away')
    ctrl.abort(reason)
    expect(t.calls[0]!.signal.aborted).toBe(true)
    expect(t.calls[0]!.signal.reason).toBe(reason)
  })

  // WebKit: once a response's `body` has been read, aborting its read rejects with a TypeError
  // that wraps the AbortError, where fetch's own read rejects with the AbortError itself.
  it('2.6 the queue never reads the body stream of the response it hands over', async () => {
    const { queue, t } = setup()
    let reads = 0
    class Watched extends Response {
      override get body() {
        reads++
        return super.body
      }
    }
    const ctrl = new AbortController()
    const p = queue.fetch(url('/a'), { signal: ctrl.signal })
    await flush()
    t.calls[0]!.respond(new Watched('streaming body'))
    await p
    expect(reads).toBe(0)
    ctrl.abort()
    expect(t.calls[0]!.signal.aborted).toBe(true)
  })

  it('2.6 a long-lived signal used for many calls carries one listener, not one per response', async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    const ctrl = new AbortController()
    const kept: Response[] = []
    for (let i = 0; i < 40; i++)
      kept.push(await queue.fetch(url(`/r${i}`), { signal: ctrl.signal }))
    expect(kept).toHaveLength(40)
    expect(getEventListeners(ctrl.signal, 'abort').length).toBeLessThanOrEqual(1)
    ctrl.abort()
    expect(t.calls.every((c) => c.signal.aborted)).toBe(true)
  })

  it('2.6 a response shared with superseded callers is not aborted by one of them', async () => {
    const { queue, t } = setup()
    const mine = new AbortController()
    queue.fetch(url('/w'), { method: 'POST' })
    const older = queue.fetch(url('/s'), { dedupe: true })
    const newer = queue.fetch(url('/s'), { dedupe: true, signal: mine.signal })
    await flush()
    t.calls[0]!.respond()
    await flush()
    t.calls[1]!.respond(200, 'stats')
    await Promise.all([older, newer])
    mine.abort()
    expect(t.calls[1]!.signal.aborted).toBe(false)
    expect(await (await older).text()).toBe('stats')
  })
})
