import { describe, expect, it } from 'vitest'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

/**
 * Runs `body` with only our listener on `unhandledRejection` and returns what it heard. Vitest's
 * own listeners are set aside meanwhile so a deliberate control rejection does not fail the run.
 */
async function unhandled(body: () => Promise<void> | void): Promise<unknown[]> {
  const heard: unknown[] = []
  const others = process.listeners('unhandledRejection')
  process.removeAllListeners('unhandledRejection')
  const listener = (reason: unknown) => heard.push(reason)
  process.on('unhandledRejection', listener)
  try {
    await body()
    // Node reports unhandled rejections after the microtask queue drains.
    await flush(5)
  } finally {
    process.off('unhandledRejection', listener)
    for (const l of others) process.on('unhandledRejection', l)
  }
  return heard
}

describe('2.4 fire-and-forget failures never produce an unhandled rejection', () => {
  it('the detector works: an unawaited rejected promise is heard', async () => {
    const heard = await unhandled(() => {
      Promise.reject(new Error('control'))
    })
    expect(heard).toHaveLength(1)
  })

  it('2.4 a failing status, a final connection failure and a timeout stay silent', async () => {
    const heard = await unhandled(async () => {
      const { queue, t, clock } = setup({ retry: { limit: 0, networkLimit: 0 }, timeout: 1000 })
      queue.fetch(url('/a'), { method: 'POST' })
      queue.fetch(url('/b'), { method: 'POST' })
      queue.fetch(url('/c'), { method: 'POST' })
      queue.fetch(url('/d'))
      await flush()
      t.calls[0]!.respond(404)
      await flush()
      t.calls[1]!.fail()
      await flush()
      await clock.advance(1000)
      await flush()
      t.calls[3]!.respond(503)
      await queue.whenIdle()
      expect(t.calls).toHaveLength(4)
    })
    expect(heard).toEqual([])
  })

  it("2.4 onFailure 'pause' then discard(id) stays silent", async () => {
    const heard = await unhandled(async () => {
      const { queue, t } = setup({ onFailure: 'pause' })
      queue.fetch(url('/a'), { method: 'POST' })
      await flush()
      t.calls[0]!.respond(400)
      await flush()
      queue.discard(queue.getSnapshot().items[0]!.id)
      await queue.whenIdle()
    })
    expect(heard).toEqual([])
  })

  it('2.6 aborting queued and in-flight items stays silent', async () => {
    const heard = await unhandled(async () => {
      const { queue } = setup()
      const inFlight = new AbortController()
      const queued = new AbortController()
      queue.fetch(url('/a'), { method: 'POST', signal: inFlight.signal })
      queue.fetch(url('/b'), { method: 'POST', signal: queued.signal })
      await flush()
      queued.abort()
      inFlight.abort()
      await queue.whenIdle()
    })
    expect(heard).toEqual([])
  })

  it('2.6 a signal that is already aborted stays silent', async () => {
    const heard = await unhandled(() => {
      const { queue } = setup()
      queue.fetch(url('/a'), { method: 'POST', signal: AbortSignal.abort() })
    })
    expect(heard).toEqual([])
  })

  it('2.3 a superseded item whose follower fails stays silent', async () => {
    const heard = await unhandled(async () => {
      const { queue, t } = setup()
      queue.fetch(url('/block'), { method: 'POST' })
      queue.fetch(url('/doc'), { method: 'PUT', dedupe: true })
      queue.fetch(url('/doc'), { method: 'PUT', dedupe: true })
      queue.fetch(url('/s'), { dedupe: true })
      await flush()
      t.calls[0]!.respond()
      await flush()
      t.calls[1]!.respond(409)
      await flush()
      queue.fetch(url('/s'), { dedupe: true })
      await flush()
      t.calls.at(-1)!.respond(404)
      await queue.whenIdle()
    })
    expect(heard).toEqual([])
  })

  it('clear(), dispose() and fetch after dispose stay silent', async () => {
    const heard = await unhandled(async () => {
      const a = setup()
      a.queue.fetch(url('/a'), { method: 'POST' })
      a.queue.fetch(url('/b'), { method: 'POST' })
      await flush()
      await a.queue.clear()
      const b = setup()
      b.queue.fetch(url('/a'), { method: 'POST' })
      b.queue.fetch(url('/b'))
      await flush()
      b.queue.dispose()
      b.queue.fetch(url('/c'), { method: 'POST' })
    })
    expect(heard).toEqual([])
  })

  it('12: a programming error (bad input) stays loud', async () => {
    const heard = await unhandled(() => {
      const { queue } = setup()
      queue.fetch('not a url')
    })
    expect(heard).toHaveLength(1)
    expect(heard[0]).toBeInstanceOf(TypeError)
  })
})
