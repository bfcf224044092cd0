/**
 * Where fetch-queue's per-write time goes, through public options only: the same 100,000
 * serialized writes as figure 1, with the idempotency key and the timeout turned off one at a
 * time. Run: `npm run build && node --expose-gc --import tsx bench/hot-path.ts`.
 */
import PQueue from 'p-queue'
import { BODY, URL_STOPS } from './figures/overhead.ts'
import { num, toText } from './lib/format.ts'
import { loadLibrary } from './lib/library.ts'
import { measure, stopwatch, type Timed } from './lib/run.ts'
import { summarize } from './lib/stats.ts'

const lib = await loadLibrary()
const OK = new Response(null, { status: 200 })
const transport = () => Promise.resolve(OK)
const N = 100_000

const variant = (name: string, options: Parameters<typeof lib.createQueue>[0]): Timed => ({
  name,
  async run(n) {
    const queue = lib.createQueue({ transport, ...options })
    const all = new Array<Promise<Response>>(n)
    const stop = stopwatch()
    for (let i = 0; i < n; i++) all[i] = queue.fetch(URL_STOPS, { method: 'POST', body: BODY })
    await Promise.all(all)
    const elapsed = stop()
    queue.dispose()
    return elapsed
  },
})

const list: Timed[] = [
  variant('fetch-queue, defaults', {}),
  variant('idempotency: false', { idempotency: false }),
  variant('timeout: false', { timeout: false }),
  variant('idempotency: false, timeout: false', { idempotency: false, timeout: false }),
  {
    name: 'p-queue 9.3.5',
    async run(n) {
      const queue = new PQueue({ concurrency: 1 })
      const all = new Array<Promise<Response>>(n)
      const stop = stopwatch()
      for (let i = 0; i < n; i++) all[i] = queue.add(() => transport())
      await Promise.all(all)
      return stop()
    },
  },
]

for (const n of [1_000, N]) {
  const raw = await measure(list, n, 7)
  const median = (clock: 'cpu' | 'wall', name: string) => summarize(raw[clock].get(name)!).median
  const first = list[0]!.name
  console.log(
    toText({
      title: `Hot path: µs per write, ${n.toLocaleString('en-US')} serialized writes (median of 7 runs)`,
      head: ['variant', 'CPU', 'saved', 'wall', 'saved'],
      rows: list.map((t) => [
        t.name,
        num(median('cpu', t.name)),
        t.name === first ? '' : num(median('cpu', first) - median('cpu', t.name)),
        num(median('wall', t.name)),
        t.name === first ? '' : num(median('wall', first) - median('wall', t.name)),
      ]),
    }),
    '\n',
  )
}
process.exit(0)
