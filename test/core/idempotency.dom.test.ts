// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://app.test/editor/"}
import { describe, expect, it } from 'vitest'
import { setup } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const key = (h: Headers) => h.get('idempotency-key')

describe("2.5 idempotency: 'same-origin' in a page", () => {
  it('2.5 the page has a location (happy-dom)', () => {
    expect(location.origin).toBe('https://app.test')
  })

  it("2.5 'same-origin' (default) adds the key to same-origin URLs, relative ones included", async () => {
    const { queue, t } = setup()
    queue.fetch('/stops', { method: 'POST' })
    await flush()
    t.calls[0]!.respond()
    queue.fetch('https://app.test/stops', { method: 'POST' })
    await flush()
    expect(t.calls[0]!.url).toBe('https://app.test/stops')
    expect(key(t.calls[0]!.request.headers)).toBeTruthy()
    expect(key(t.calls[1]!.request.headers)).toBeTruthy()
  })

  it("2.5 'same-origin' leaves cross-origin URLs without the header (no CORS preflight)", async () => {
    const { queue, t } = setup()
    queue.fetch('https://api.other.test/stops', { method: 'POST' })
    queue.fetch('http://app.test/stops', { method: 'POST' })
    await flush()
    t.calls[0]!.respond()
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBeNull()
    expect(key(t.calls[1]!.request.headers)).toBeNull()
  })

  it("2.5 'always' adds the key to cross-origin URLs", async () => {
    const { queue, t } = setup({ idempotency: 'always' })
    queue.fetch('https://api.other.test/stops', { method: 'POST' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBeTruthy()
  })

  it('2.5 a per-item key is sent cross-origin too: the app asked for it', async () => {
    const { queue, t } = setup()
    queue.fetch('https://api.other.test/stops', { method: 'POST', idempotencyKey: 'k1' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBe('k1')
  })

  it('2.5 idempotency: false sends no key, even same-origin', async () => {
    const { queue, t } = setup({ idempotency: false })
    queue.fetch('/stops', { method: 'POST' })
    await flush()
    expect(key(t.calls[0]!.request.headers)).toBeNull()
  })
})
