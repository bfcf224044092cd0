/**
 * Runs one client call twice, with plain `fetch` and through a queue, against the recording
 * server, and returns both outcomes and both records of what reached the wire, normalized so a
 * test can compare them with one `toEqual`.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { FetchQueue } from '../../../src/index.ts'
import { createQueue } from '../../../src/index.ts'
import { fakeOnline } from '../../support/online.ts'
import { type Received, type RecordingServer, startRecorder } from './recorder.ts'

/** What the server received, minus what the queue adds on purpose (the idempotency key). */
export interface Wire {
  method: string
  url: string
  /** Header lines, sorted; `idempotency-key` removed. */
  headers: [string, string][]
  body: string
}

export const wire = (r: Received): Wire => ({
  method: r.method,
  url: r.url,
  headers: r.headers.filter(([name]) => name !== 'idempotency-key').sort(),
  body: r.body,
})

/** A settled call, errors reduced to what a caller can observe and compare. */
export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; name: string; message: string; status: unknown }

/** Echoed requests (see the recorder's `echo`), at any depth, without the key the queue adds. */
const scrub = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(scrub)
  if (!value || typeof value !== 'object' || value.constructor !== Object) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value))
    out[k] =
      k === 'headers' && Array.isArray(v)
        ? v.filter(([name]) => name !== 'idempotency-key')
        : scrub(v)
  return out
}

export async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: scrub(await promise) }
  } catch (e) {
    const error = e as { name?: string; message?: string; status?: unknown; response?: Response }
    return {
      ok: false,
      name: String(error?.name),
      message: String(error?.message),
      status: error?.status ?? error?.response?.status,
    }
  }
}

export interface Run {
  plain: Outcome
  queued: Outcome
  plainWire: Wire[]
  queuedWire: Wire[]
  /** Idempotency keys the queued run sent, one per request (null on reads). */
  keys: (string | null)[]
}

/**
 * How the suite hands a queue to a client: a plain `typeof fetch`, with no status retries of its
 * own, since every client here retries (or reports) statuses itself.
 */
export const wireUp = (queue: FetchQueue): typeof fetch => queue.asFetch({ retry: 0 })

export interface Suite {
  readonly server: RecordingServer
  /** A new queue on the default transport (the real `fetch`), disposed after the test. */
  queue(options?: Parameters<typeof createQueue>[0]): FetchQueue
  /** `run(fetch)` with plain fetch, then `run(queueFetch)`; both outcomes and wire records. */
  twice(run: (fetch: typeof globalThis.fetch) => Promise<unknown>): Promise<Run>
}

/** Starts a recorder for the file and disposes queues after each test. */
export function compatSuite(): Suite {
  let server: RecordingServer | undefined
  const queues: FetchQueue[] = []
  beforeAll(async () => {
    server = await startRecorder()
  })
  afterAll(async () => {
    await server?.close()
  })
  afterEach(() => {
    for (const q of queues.splice(0)) q.dispose()
    for (const h of server?.held ?? []) h.release(503)
    server?.take()
  })
  const suite: Suite = {
    get server() {
      return server!
    },
    queue(options) {
      const q = createQueue({ online: fakeOnline(), ...options })
      queues.push(q)
      return q
    },
    async twice(run) {
      const s = suite.server
      s.take()
      const plain = await outcome(run(globalThis.fetch))
      const plainWire = s.take().map(wire)
      const queue = suite.queue()
      const queued = await outcome(run(wireUp(queue)))
      await queue.whenIdle()
      const received = s.take()
      return {
        plain,
        queued,
        plainWire,
        queuedWire: received.map(wire),
        keys: received.map((r) => r.headers.find(([n]) => n === 'idempotency-key')?.[1] ?? null),
      }
    },
  }
  return suite
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Waits (event-loop turns, no timers) until `condition()` holds. */
export async function until(condition: () => boolean, what: string, turns = 20_000) {
  for (let i = 0; i < turns; i++) {
    if (condition()) return
    await immediate()
  }
  throw new Error(`timed out waiting for ${what}`)
}

const sending = (queue: FetchQueue) =>
  queue.getSnapshot().items.filter((i) => i.state === 'sending').length

/**
 * Answers `count` held requests in arrival order, each only once every request the queue has on
 * the wire has reached the server. A queue that sent two writes at once would have both held
 * here, so the server's `writesOpen` record catches the overlap instead of a race hiding it.
 */
export async function drive(server: RecordingServer, queue: FetchQueue, count: number) {
  for (let i = 0; i < count; i++) {
    await until(
      () => server.held.length > 0 && server.held.length >= sending(queue),
      `held request ${i + 1} of ${count}`,
    )
    server.held[0]!.release()
  }
}
