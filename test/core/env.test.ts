import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createQueue, isTimeoutError } from '../../src/index.ts'
import { HttpResponse, http } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { settle, track, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import { controlledTransport } from '../support/transport.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

afterEach(() => {
  vi.useRealTimers()
})

describe('2.8 environment', () => {
  it('2.8 importing the library in plain Node touches no browser global', () => {
    const script = `
      const touched = []
      for (const name of ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'self', 'addEventListener']) {
        const had = Object.getOwnPropertyDescriptor(globalThis, name)
        Object.defineProperty(globalThis, name, {
          configurable: true,
          get() {
            touched.push(name)
            return had && (had.get ? had.get.call(globalThis) : had.value)
          },
        })
      }
      const lib = await import('./src/index.ts')
      console.log(JSON.stringify({ touched, hasCreateQueue: typeof lib.createQueue }))
    `
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    )
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
      touched: [],
      hasCreateQueue: 'function',
    })
  })

  it('2.8 with every default, a queue works in Node: no window, the global fetch read at call time', async () => {
    // msw installed its fetch after this module imported the library: the queue must see it.
    http.use(http.post(url('/a'), () => HttpResponse.json({ ok: true })))
    const queue = track(createQueue())
    expect(queue.getSnapshot().online).toBe(true)
    const res = await queue.fetch(url('/a'), { method: 'POST' })
    expect(await res.json()).toEqual({ ok: true })
  })

  it('2.8 the default transport hands the signal to a wrapped fetch that spreads its init (msw does)', async () => {
    const seen: boolean[] = []
    let entered!: () => void
    const inHandler = new Promise<void>((r) => (entered = r))
    http.use(
      http.post(url('/slow'), async ({ request }) => {
        entered()
        await new Promise((r) => request.signal.addEventListener('abort', r, { once: true }))
        seen.push(request.signal.aborted)
        return HttpResponse.text('late')
      }),
    )
    const queue = track(createQueue())
    const ctrl = new AbortController()
    const p = queue.fetch(url('/slow'), { method: 'POST', signal: ctrl.signal })
    await inHandler
    ctrl.abort('stop')
    await expect(p).rejects.toBe('stop')
    await vi.waitFor(() => expect(seen).toEqual([true]))
  })

  it('2.8 the default clock reads the timers lazily: fake timers installed after import work', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') })
    const t = controlledTransport()
    const queue = track(
      createQueue({
        transport: t.transport,
        online: fakeOnline(),
        timeout: 1000,
        retry: { networkLimit: 1 },
      }),
    )
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    expect(queue.getSnapshot().items[0]!.enqueuedAt).toBe(Date.parse('2030-01-01T00:00:00Z'))
    await flush()
    expect(t.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(t.calls[0]!.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(isTimeoutError(t.calls[0]!.signal.reason)).toBe(true)
    // The backoff runs on the fake timers too.
    await vi.advanceTimersByTimeAsync(1000)
    expect(t.calls).toHaveLength(2)
    t.calls[1]!.respond()
    await flush()
    expect(p.status).toBe('fulfilled')
  })
})
