/**
 * What the web-platform-style behaviour suites need, in Node and in Chromium alike: the recorder's
 * base URL, and the two subjects every behaviour is checked on. Plain `fetch` is the control (the
 * behaviour holds for fetch itself, so the test is right); the queue must then behave the same.
 */
import { afterEach } from 'vitest'
import { createQueue, type FetchQueue } from '../../../src/index.ts'

export interface Subject {
  name: string
  /** A fresh fetch for one test: plain `fetch`, `queue.fetch`, or `queue.asFetch()`. */
  make(): typeof globalThis.fetch
  /** The queue behind it, when there is one. */
  queue?: FetchQueue
}

const queues: FetchQueue[] = []
afterEach(() => {
  for (const q of queues.splice(0)) q.dispose()
})

const queued = (name: string, pick: (q: FetchQueue) => typeof globalThis.fetch): Subject => {
  const subject: Subject = {
    name,
    make() {
      const q = createQueue()
      queues.push(q)
      subject.queue = q
      return pick(q)
    },
  }
  return subject
}

/** Plain fetch first, then the queue. */
export const subjects = (): Subject[] => [
  { name: 'fetch', make: () => globalThis.fetch.bind(globalThis) },
  queued('queue.fetch', (q) => q.fetch),
]

let n = 0
/** A key no other request has used, for the recorder's `state`. */
export const token = () =>
  `${Date.now().toString(36)}-${(++n).toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export interface Env {
  /** Absolute URL of the recorder's `/__compat`. */
  base: string
}

/** The recorder's record of a key: `'open'`, `'closed'`, or null when nothing arrived. */
export async function state(env: Env, key: string): Promise<'open' | 'closed' | null> {
  return (await fetch(`${env.base}/state?key=${key}`)).json()
}

/**
 * Asks the recorder until `key` is closed (the client went away): requests, no timers. At least
 * `tries` asks and 10 s: a loaded machine may take a while to see the socket close.
 */
export async function closed(env: Env, key: string, tries = 500): Promise<void> {
  const start = performance.now()
  for (let i = 0; i < tries || performance.now() - start < 10_000; i++)
    if ((await state(env, key)) === 'closed') return
  throw new Error(`the connection for ${key} never closed`)
}

/** Asks the recorder until a request with `key` has arrived. */
export async function arrived(env: Env, key: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) if ((await state(env, key)) !== null) return
  throw new Error(`no request for ${key} arrived`)
}

/** Settles `promise` and returns what a caller observes: the value, or the error's name. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (e) {
    return (e as Error)?.name ?? String(e)
  }
}
