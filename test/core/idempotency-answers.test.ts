import { describe, expect, it } from 'vitest'
import { defineSpool, HttpError } from '../../src/index.ts'
import { record } from '../spool/support/records.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

/** Settles a promise into a readable outcome without an unhandled rejection. */
const outcome = (p: Promise<Response>) => {
  const o: { value?: Response; error?: unknown } = {}
  p.then(
    (v) => {
      o.value = v
    },
    (e) => {
      o.error = e
    },
  )
  return o
}

describe("2.5 the draft's answers to a repeated key", () => {
  it('2.5 a 409 to a retry means in progress: retried with the backoff, then saved', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(409)
    await clock.next()
    t.calls[2]!.respond(201)
    await flush()
    expect(o.error).toBeUndefined()
    expect(o.value?.status).toBe(201)
    expect(t.calls).toHaveLength(3)
  })

  it('2.5 a 409 to a retry counts against retry.limit', async () => {
    const { queue, t, clock } = setup({ timeout: false, retry: { limit: 1 } })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(409)
    await clock.next()
    t.calls[2]!.respond(409)
    await flush()
    expect(o.error).toBeInstanceOf(HttpError)
    expect((o.error as HttpError).response.status).toBe(409)
    expect(t.calls).toHaveLength(3)
  })

  it('2.5 a 409 to a write restored from the spool is in progress too: its first attempt here may repeat one that reached the server', async () => {
    const stored = record({ url: url('/w') })
    const spool = defineSpool({
      name: 'one record',
      load: () => ({ records: [stored] }),
      put() {},
      delete() {},
      clear() {},
    })
    const { queue, t, clock } = setup({ timeout: false, spool })
    const failed: unknown[] = []
    queue.on('failed', (e) => failed.push(e.error))
    await queue.ready
    await flush()
    t.calls[0]!.respond(409)
    await clock.next()
    t.calls[1]!.respond(200)
    await queue.whenIdle()
    expect(failed).toEqual([])
    expect(t.calls.map((c) => c.request.headers.get('idempotency-key'))).toEqual([
      stored.key,
      stored.key,
    ])
  })

  it("2.5 a 409 to a key's first attempt stays an HttpError", async () => {
    const { queue, t } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.respond(409)
    await flush()
    expect(o.error).toBeInstanceOf(HttpError)
    expect(t.calls).toHaveLength(1)
  })

  it('2.5 a 422 to a repeated key fails at once: the key was reused for a different request', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(422)
    await flush()
    expect(await clock.next()).toBe(false)
    expect(o.error).toBeInstanceOf(HttpError)
    expect((o.error as HttpError).response.status).toBe(422)
    expect((o.error as Error).message).toMatch(/reused for a different request/)
    expect(t.calls).toHaveLength(2)
  })

  it("2.5 a 422 to a key's first attempt is an ordinary HttpError: nothing was repeated", async () => {
    const { queue, t } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.respond(422)
    await flush()
    expect(o.error).toBeInstanceOf(HttpError)
    expect((o.error as Error).message).not.toMatch(/reused/)
    expect(await (o.error as HttpError).response.text()).toBe('422')
  })

  it('2.5 a read has no key: a 422 to its retry is an ordinary HttpError', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/r')))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(422)
    await flush()
    expect(o.error).toBeInstanceOf(HttpError)
    expect((o.error as Error).message).not.toMatch(/reused/)
  })

  it('2.5 a read has no key: a 409 to its retry is not in progress, it fails at once', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/r')))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(409)
    await flush()
    expect(await clock.next()).toBe(false)
    expect((o.error as HttpError).response.status).toBe(409)
    expect(t.calls).toHaveLength(2)
  })

  it('2.5 a 422 without a body to a repeated key fails with the reused-key error', async () => {
    const { queue, t, clock } = setup({ timeout: false })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond(new Response(null, { status: 422 }))
    await flush()
    expect((o.error as Error).message).toMatch(/reused for a different request/)
  })

  it('2.5 a 422 to a repeated key is never retried, even when 422 is in retry.statuses', async () => {
    const { queue, t, clock } = setup({ timeout: false, retry: { statuses: [422, 503] } })
    const o = outcome(queue.fetch(url('/w'), { method: 'POST', body: 'x' }))
    await flush()
    t.calls[0]!.respond(503)
    await clock.next()
    t.calls[1]!.respond(422)
    await flush()
    expect(await clock.next()).toBe(false)
    expect((o.error as Error).message).toMatch(/reused for a different request/)
    expect(t.calls).toHaveLength(2)
  })
})
