/**
 * The built package, imported by its name the way a user does. The package references itself
 * through its `exports` map, so this runs dist/ and not src/. `npm test` builds dist/ first.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as source from '../src/index.ts'
import { HttpResponse, http } from './support/http.ts'
import { fakeOnline } from './support/online.ts'

type Lib = typeof import('../src/index.ts')

const built = fileURLToPath(new URL('../dist/index.js', import.meta.url))
// A variable specifier keeps the type checker (run before the build) away from dist/.
const name = 'fetch-queue'

async function load(): Promise<Lib> {
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before this test')
  return (await import(/* @vite-ignore */ name)) as Lib
}

describe('the built package', () => {
  it('resolves to dist/ through the exports map', async () => {
    const resolved = fileURLToPath(import.meta.resolve(name))
    expect(resolved).toBe(built)
    const lib = await load()
    // Not the source module under another name.
    expect(lib.createQueue).not.toBe(source.createQueue)
    expect(Object.keys(lib).sort()).toEqual(
      expect.arrayContaining([
        'HttpError',
        'NetworkError',
        'QueueClosedError',
        'QueueError',
        'SpoolError',
        'TimeoutError',
        'createQueue',
        'isHttpError',
        'isQueueError',
        'memorySpool',
      ]),
    )
  })

  it('orders, dedupes and retries against a real fetch (msw)', async () => {
    const { createQueue, isHttpError } = await load()
    const log: string[] = []
    let fail = 1
    http.use(
      http.post('https://api.test/stops', async ({ request }) => {
        const body = (await request.json()) as { n: number }
        log.push(`POST ${body.n} ${request.headers.get('idempotency-key') ? 'keyed' : 'no key'}`)
        if (fail-- > 0)
          return new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
        return HttpResponse.json({ saved: body.n })
      }),
      http.get('https://api.test/stats', () => {
        log.push('GET stats')
        return HttpResponse.json({ count: log.filter((l) => l.startsWith('POST')).length })
      }),
      http.delete('https://api.test/stops/1', () => new HttpResponse('gone', { status: 410 })),
    )
    const queue = createQueue({ online: fakeOnline() })
    try {
      const first = queue.fetch('https://api.test/stops', { method: 'POST', json: { n: 1 } })
      const a = queue.fetch('https://api.test/stops', {
        method: 'POST',
        json: { n: 2 },
        dedupe: true,
      })
      const b = queue.fetch('https://api.test/stops', {
        method: 'POST',
        json: { n: 3 },
        dedupe: true,
      })
      const stats = queue.fetch('https://api.test/stats').then((r) => r.json())
      const gone = queue
        .fetch('https://api.test/stops/1', { method: 'DELETE' })
        .catch((e: unknown) => e)
      expect(await (await first).json()).toEqual({ saved: 1 })
      expect(await (await a).json()).toEqual({ saved: 3 })
      expect(await (await b).json()).toEqual({ saved: 3 })
      expect(await stats).toEqual({ count: 3 })
      expect(isHttpError(await gone)).toBe(true)
      await queue.whenIdle()
      expect(queue.getSnapshot().status).toBe('idle')
      expect(log).toEqual(['POST 1 keyed', 'POST 1 keyed', 'POST 3 keyed', 'GET stats'])
    } finally {
      queue.dispose()
    }
  })
})
