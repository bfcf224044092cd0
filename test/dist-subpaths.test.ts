/**
 * The built `fetch-queue/testing` and `fetch-queue/xhr`, imported by name as a user does: the
 * package references itself through its `exports` map, so this runs dist/. `npm test` builds first.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

type Core = typeof import('../src/index.ts')
type Testing = typeof import('../src/testing/index.ts')
type Xhr = typeof import('../src/xhr.ts')

// Variable specifiers keep the type checker (run before the build) away from dist/.
const names = { core: 'fetch-queue', testing: 'fetch-queue/testing', xhr: 'fetch-queue/xhr' }

async function load<T>(name: string, file: string): Promise<T> {
  const built = fileURLToPath(new URL(`../dist/${file}`, import.meta.url))
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before this test')
  expect(fileURLToPath(import.meta.resolve(name))).toBe(built)
  return (await import(/* @vite-ignore */ name)) as T
}

describe('the built subpaths', () => {
  it('fetch-queue/testing drives the built queue: a transport the test answers, while the browser says offline', async () => {
    const { createQueue } = await load<Core>(names.core, 'index.js')
    const kit = await load<Testing>(names.testing, 'testing.js')
    expect(Object.keys(kit).sort()).toEqual([
      'fakeTimersClock',
      'flush',
      'manualClock',
      'manualOnline',
      'memoryLocks',
      'memoryStorage',
      'testTransport',
      'throwingStorage',
    ])
    const t = kit.testTransport()
    const network = kit.manualOnline(false)
    const queue = createQueue({ transport: t.transport, online: network, clock: kit.manualClock() })
    try {
      t.on('POST /stops', (call) => call.answer({ json: { saved: call.json() } }))
      const saved = queue.fetch('https://api.test/stops', { method: 'POST', json: [1] })
      // Offline is a hint: the write is tried, and its answer marks the queue online.
      expect(await (await saved).json()).toEqual({ saved: [1] })
      expect(t.calls).toHaveLength(1)
      await kit.flush()
      expect(queue.getSnapshot().online).toBe(true)
    } finally {
      queue.dispose()
    }
  })

  it('fetch-queue/xhr exports xhrTransport, which checks its options', async () => {
    const { xhrTransport } = await load<Xhr>(names.xhr, 'xhr.js')
    expect(typeof xhrTransport()).toBe('function')
    expect(() => xhrTransport({ responseType: 'text' as never })).toThrow(TypeError)
  })
})
