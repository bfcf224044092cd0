/**
 * The built `fetch-queue/watch`, imported by its name the way a user does, against real HTTP
 * (msw behind the global fetch): a poll with ETag and 304, and a server-sent event stream that
 * drops and resumes with Last-Event-ID. `npm test` builds dist/ first.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as source from '../../src/watch/index.ts'
import { fakeClock } from '../support/clock.ts'
import { HttpResponse, http } from '../support/http.ts'
import { fakeOnline } from '../support/online.ts'
import { flush, until } from '../support/tick.ts'

const built = fileURLToPath(new URL('../../dist/watch.js', import.meta.url))
// Variable specifiers keep the type checker (run before the build) away from dist/.
const core = 'fetch-queue'
const name = 'fetch-queue/watch'

async function load() {
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before this test')
  const [{ createQueue }, { watch }] = await Promise.all([
    import(/* @vite-ignore */ core) as Promise<typeof import('../../src/index.ts')>,
    import(/* @vite-ignore */ name) as Promise<typeof source>,
  ])
  return { createQueue, watch }
}

describe('the built fetch-queue/watch', () => {
  it('resolves to dist/watch.js through the exports map', async () => {
    expect(fileURLToPath(import.meta.resolve(name))).toBe(built)
    const { watch } = await load()
    expect(watch).not.toBe(source.watch)
  })

  it('polls with If-None-Match against a real fetch, and a 304 keeps the snapshot', async () => {
    const { createQueue, watch } = await load()
    const seen: (string | null)[] = []
    http.use(
      http.get('https://api.test/stats', ({ request }) => {
        const tag = request.headers.get('if-none-match')
        seen.push(tag)
        if (tag === '"1"') return new HttpResponse(null, { status: 304 })
        return HttpResponse.json({ rev: 1 }, { headers: { etag: '"1"' } })
      }),
    )
    const clock = fakeClock()
    const queue = createQueue({ online: fakeOnline(), clock })
    const w = watch(queue, 'https://api.test/stats', { interval: 5 })
    try {
      await until(() => w.getSnapshot().data !== undefined, 'first poll')
      const first = w.getSnapshot()
      expect(first).toMatchObject({ status: 'live', data: { rev: 1 } })
      for (const n of [2, 3]) {
        await clock.advance(5)
        await until(() => seen.length >= n, `poll ${n}`)
      }
      await until(() => clock.timers > 0, 'the next tick')
      expect(seen.slice(0, 3)).toEqual([null, '"1"', '"1"'])
      expect(w.getSnapshot()).toBe(first)
    } finally {
      w.close()
      queue.dispose()
    }
  })

  it('reads a real event stream, and resumes it with Last-Event-ID after a drop', async () => {
    const { createQueue, watch } = await load()
    const resumes: (string | null)[] = []
    const encoder = new TextEncoder()
    http.use(
      http.get('https://api.test/events', ({ request }) => {
        const last = request.headers.get('last-event-id')
        resumes.push(last)
        const from = Number(last ?? 0)
        const chunks = ['retry: 5\n\n', `id: ${from + 1}\ndata: ${from + 1}\n\n`]
        chunks.push(`id: ${from + 2}\ndata: ${from + 2}\n\n`)
        // Pulled one chunk at a time, so the drop comes after the events, not instead of them.
        const body = new ReadableStream<Uint8Array>({
          async pull(c) {
            const chunk = chunks.shift()
            if (chunk) return c.enqueue(encoder.encode(chunk))
            // The first connection drops once its events are through; the second stays open.
            await flush()
            if (!last) c.error(new TypeError('connection reset'))
          },
        })
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } })
      }),
    )
    const clock = fakeClock()
    const queue = createQueue({ online: fakeOnline(), clock })
    const w = watch<number[]>(queue, 'https://api.test/events', {
      reduce: (list = [], event) => [...list, Number(event.data)],
    })
    try {
      await until(() => w.getSnapshot().status === 'retrying', 'the drop')
      expect(w.getSnapshot().data).toEqual([1, 2])
      await clock.advance(5) // the server's retry: 5 is the backoff's base
      await until(() => (w.getSnapshot().data?.length ?? 0) >= 4, 'four events')
      expect(w.getSnapshot().data).toEqual([1, 2, 3, 4])
      expect(resumes).toEqual([null, '2'])
      expect(w.getSnapshot().status).toBe('live')
    } finally {
      w.close()
      queue.dispose()
    }
  })
})
