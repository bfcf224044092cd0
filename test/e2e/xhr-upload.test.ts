import { build } from 'esbuild'
import { beforeAll, expect, test } from 'vitest'
import { useHarness } from './harness.ts'

const h = useHarness()

// The library as a page would bundle it: the queue and the XHR transport, from src/.
let bundle: string
beforeAll(async () => {
  const out = await build({
    stdin: {
      contents:
        "export { createQueue } from './src/queue.ts'\nexport { xhrTransport } from './src/xhr.ts'",
      resolveDir: new URL('../..', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'fetchQueue',
    target: 'es2022',
    write: false,
  })
  bundle = out.outputFiles[0]!.text
})

interface Seen {
  direction: string
  loaded: number
  total: number | undefined
  at: number
}

test('xhr: an upload of 6 MB to the demo server raises progress events that rise to the total, and the server gets every byte', async () => {
  const page = await (await h.context()).newPage()
  await page.goto(`${h.server.url}/xhr-test`) // any page of the origin will do
  await page.addScriptTag({ content: bundle })
  const size = 6 * 1024 * 1024
  const result = await page.evaluate(async (size) => {
    const { createQueue, xhrTransport } = (
      window as never as {
        fetchQueue: typeof import('../../src/index.ts') & typeof import('../../src/xhr.ts')
      }
    ).fetchQueue
    const queue = createQueue({ transport: xhrTransport({ responseType: 'blob' }) })
    const seen: Seen[] = []
    let snapshots = 0
    queue.subscribe(() => snapshots++)
    queue.on('progress', (e) =>
      seen.push({
        direction: e.direction,
        loaded: e.loaded,
        total: e.total,
        at: performance.now(),
      }),
    )
    const bytes = new Uint8Array(size)
    for (let i = 0; i < size; i += 4096) bytes[i] = i % 251
    const digest = await crypto.subtle.digest('SHA-256', bytes)
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
    const started = performance.now()
    // The loopback socket buffers take a few MB at once; read at 500 kB/s, the rest of the upload
    // lasts seconds: browsers report upload progress about once a second.
    const res = await queue.fetch('/uploads?rate=500000', {
      method: 'POST',
      body: new Blob([bytes]),
      headers: { 'content-type': 'application/octet-stream' },
    })
    const answer = await res.json()
    return {
      seen,
      answer,
      sha256,
      started,
      snapshots,
      status: res.status,
      type: res.headers.get('content-type'),
    }
  }, size)

  const up = result.seen.filter((s) => s.direction === 'upload')
  console.log(
    `[xhr] ${up.length} upload progress events over ${Math.round(up.at(-1)!.at - result.started)} ms:`,
    up.map((s) => Math.round((100 * s.loaded) / size)).join('% ') + '%',
  )
  expect(result.status).toBe(200)
  expect(result.type).toBe('application/json')
  expect(result.answer).toEqual({ bytes: size, sha256: result.sha256 })
  expect(up.length).toBeGreaterThanOrEqual(3)
  expect(up.every((s) => s.total === size)).toBe(true)
  const loaded = up.map((s) => s.loaded)
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
  expect(new Set(loaded).size).toBe(loaded.length)
  expect(loaded.at(-1)).toBe(size)
  // Throttled: never two events of one direction within ~100 ms, except the final one.
  for (let i = 1; i < up.length - 1; i++) expect(up[i]!.at - up[i - 1]!.at).toBeGreaterThan(90)
  const down = result.seen.filter((s) => s.direction === 'download')
  expect(down.at(-1)).toMatchObject({ loaded: down.at(-1)!.total })
  // Progress is never a snapshot change: enqueue, start and settle are a handful of changes.
  expect(result.snapshots).toBeLessThan(6)
})
