/**
 * A recording HTTP server for the compatibility suite: it keeps the bytes of every request it
 * receives (method, URL, headers, body), and serves the few resources the web-platform-style tests
 * need. One handler serves both a `node:http` server on 127.0.0.1 (Node tests) and the Vite dev
 * server of the browser suite (mounted as middleware), so both run the same behaviours.
 *
 * Every path lives under `/__compat/`:
 *
 * | path | answer |
 * |---|---|
 * | `echo` | 200, JSON of what arrived: `{ method, url, headers, body }` |
 * | `data.json` | 200, `{"key":"value"}` |
 * | `empty.txt` | 200, empty body |
 * | `status/:code` | that status, body `status :code` (none for 204/304) |
 * | `slow?key=K` | 200, then a chunk every 20 ms until the client goes away; `K` reads `open`, then `closed` |
 * | `hold?key=K` | held until released: `release?key=K[&status=N]`, or `recorder.release()` in Node |
 * | `state?key=K` | JSON: `"open"`, `"closed"`, or `null` when no request with that key ever arrived |
 *
 * Any other path under `/__compat/` answers 200 with a small JSON body, so clients under test can
 * call `/__compat/api/...` freely.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const PREFIX = '/__compat'

/** One request as it reached the server. */
export interface Received {
  method: string
  /** Path and query, as sent. */
  url: string
  /** Every header line, names in lower case, in arrival order. */
  headers: [string, string][]
  /** The body bytes as latin1 text (exact bytes, readable in a diff). */
  body: string
  /** Arrival order across the recorder's life (1-based). */
  seq: number
  /** How many writes were open on the server when this request arrived. */
  writesOpen: number
  /** How many requests of any kind were open when this one arrived. */
  open: number
}

/** A request parked by `hold`, waiting for the test. */
export interface Held {
  request: Received
  key: string
  /** Answers it (default 200, a JSON body naming the key). */
  release(status?: number, body?: string): void
  /** Whether the client went away before the answer. */
  readonly closed: boolean
}

export interface Recorder {
  /** Connect/Vite middleware; calls `next()` for paths outside `/__compat/`. */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void
  /** Every request since the last `take()`, in arrival order. */
  readonly received: Received[]
  /** Returns what arrived since the last call and starts a new record. */
  take(): Received[]
  /** Requests parked by `hold`, oldest first, that have not been answered. */
  readonly held: Held[]
  /** Resolves once at least `n` requests are held. */
  whenHeld(n?: number): Promise<Held[]>
  /** Requests currently open on the server (arrived and not yet answered or closed). */
  readonly openCount: number
  /** Resolves once `key` is `closed` (the client went away). */
  whenClosed(key: string): Promise<void>
}

const READ = new Set(['GET', 'HEAD', 'OPTIONS'])

export function createRecorder(): Recorder {
  let received: Received[] = []
  let seq = 0
  let open = 0
  let writesOpen = 0
  const states = new Map<string, 'open' | 'closed'>()
  const held: Held[] = []
  const heldWaiters: [number, (h: Held[]) => void][] = []
  const closedWaiters = new Map<string, (() => void)[]>()

  const wakeHeld = () => {
    for (const w of [...heldWaiters])
      if (held.length >= w[0]) {
        heldWaiters.splice(heldWaiters.indexOf(w), 1)
        w[1]([...held])
      }
  }
  const markClosed = (key: string) => {
    states.set(key, 'closed')
    for (const fn of closedWaiters.get(key) ?? []) fn()
    closedWaiters.delete(key)
  }

  function handle(req: IncomingMessage, res: ServerResponse, next?: () => void) {
    const url = new URL(req.url ?? '/', 'http://recorder')
    if (!url.pathname.startsWith(`${PREFIX}/`)) {
      if (next) next()
      else res.writeHead(404).end()
      return
    }
    const route = url.pathname.slice(PREFIX.length + 1)
    const write = !READ.has(req.method ?? 'GET')
    const chunks: Buffer[] = []
    open++
    if (write) writesOpen++
    const r: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: [],
      body: '',
      seq: ++seq,
      writesOpen: writesOpen - (write ? 1 : 0),
      open: open - 1,
    }
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      r.headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!])
    received.push(r)
    let done = false
    const settle = () => {
      if (done) return
      done = true
      open--
      if (write) writesOpen--
    }
    res.on('close', settle)
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      r.body = Buffer.concat(chunks).toString('latin1')
      answer(route, url, r, res, settle)
    })
  }

  function answer(route: string, url: URL, r: Received, res: ServerResponse, settle: () => void) {
    const key = url.searchParams.get('key') ?? ''
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
      settle()
    }
    if (route === 'echo')
      return json(200, { method: r.method, url: r.url, headers: r.headers, body: r.body })
    if (route === 'data.json') return json(200, { key: 'value' })
    if (route === 'empty.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end()
      return settle()
    }
    if (route === 'state') return json(200, states.get(key) ?? null)
    const status = /^status\/(\d{3})$/.exec(route)
    if (status) {
      const code = Number(status[1])
      res.writeHead(code, { 'content-type': 'text/plain' })
      res.end(code === 204 || code === 304 ? undefined : `status ${code}`)
      return settle()
    }
    if (route === 'slow') {
      states.set(key, 'open')
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('.')
      const tick = setInterval(() => res.write('.'), 20)
      res.on('close', () => {
        clearInterval(tick)
        markClosed(key)
      })
      return
    }
    if (route === 'hold') {
      states.set(key, 'open')
      let closed = false
      const h: Held = {
        request: r,
        key,
        release(code = 200, body) {
          const i = held.indexOf(h)
          if (i >= 0) held.splice(i, 1)
          if (closed) return
          res.writeHead(code, { 'content-type': 'application/json' })
          res.end(body ?? (code === 204 ? undefined : JSON.stringify({ key })))
          settle()
        },
        get closed() {
          return closed
        },
      }
      res.on('close', () => {
        if (!res.writableEnded) {
          closed = true
          const i = held.indexOf(h)
          if (i >= 0) held.splice(i, 1)
          markClosed(key)
        }
      })
      held.push(h)
      wakeHeld()
      return
    }
    if (route === 'release') {
      const h = held.find((x) => x.key === key)
      h?.release(Number(url.searchParams.get('status') ?? 200))
      return json(h ? 200 : 404, { released: !!h })
    }
    json(200, { ok: true, method: r.method, url: r.url })
  }

  return {
    handle,
    get received() {
      return received
    },
    take() {
      const out = received
      received = []
      return out
    },
    get held() {
      return [...held]
    },
    whenHeld(n = 1) {
      if (held.length >= n) return Promise.resolve([...held])
      return new Promise((resolve) => heldWaiters.push([n, resolve]))
    },
    get openCount() {
      return open
    },
    whenClosed(key) {
      if (states.get(key) === 'closed') return Promise.resolve()
      return new Promise((resolve) => {
        const list = closedWaiters.get(key) ?? []
        list.push(resolve)
        closedWaiters.set(key, list)
      })
    },
  }
}

export interface RecordingServer extends Recorder {
  /** `http://127.0.0.1:PORT/__compat`. */
  readonly base: string
  close(): Promise<void>
}

/** Starts a recorder on 127.0.0.1 at a random port. */
export async function startRecorder(): Promise<RecordingServer> {
  const recorder = createRecorder()
  const server = createServer((req, res) => recorder.handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(recorder, {
    base: `http://127.0.0.1:${port}${PREFIX}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
