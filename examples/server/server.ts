/**
 * The demo API: a slow, breakable server that remembers exactly what it applied.
 *
 *   GET  /projects/:id/stops   → { stops, rev }
 *   POST /projects/:id/stops   { stops, rev } replaces the route (Idempotency-Key honoured)
 *   GET  /projects/:id/stats   → { stopCount, lengthKm, costPerDay, rev }
 *   POST /uploads?rate=B/s     → { bytes, sha256 } of the body, read at most `rate` bytes a second
 *   GET  /projects/:id/events  server-sent events: `revision` { rev, stopCount, tab } per applied write
 *
 * The chat demo's rooms:
 *
 *   GET  /rooms/:id/messages   → { messages }
 *   POST /rooms/:id/messages   { id, author, text } appends a message (Idempotency-Key honoured)
 *   GET  /rooms/:id/events     server-sent events: `message` { seq, id, author, text } per message
 *
 * Writes honour `Idempotency-Key` as the IETF draft says (./idempotency.ts): bare or quoted, a
 * repeat gets the stored answer, 409 while the first is still processed, 422 for another body.
 *
 * Event streams send `id:` on every event, so a client that reconnects with `Last-Event-ID`
 * resumes exactly after the last event it saw.
 *
 * Control endpoints, for tests and for playing with the demo:
 *
 *   POST /__control/reset
 *   POST /__control/knobs   { project?, latency?, processing?, down?, hang?, dropStreams?,
 *                             streamRetry?, fail?: { mode, count?, on?, retryAfter? } }
 *   GET  /__control/record?project=ID
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { normalize } from 'node:path'
import { performance } from 'node:perf_hooks'
import { type ChatMessage, parseMessageBody } from './chat.ts'
import { createHub, type StreamRecord } from './events.ts'
import { type Answer, type IdempotencyStore, idempotencyStore, requestKey } from './idempotency.ts'
import { createKnobs, type Knobs } from './knobs.ts'
import { parseStopsBody, routeStats, SEED_STOPS, type Stop } from './route.ts'
import { serveStatic } from './static.ts'
import { upload } from './uploads.ts'

export type { FailMode, FailRule, Knobs } from './knobs.ts'

export type Outcome =
  | 'applied'
  | 'replayed'
  | 'in-progress'
  | 'read'
  | 'dropped'
  | 'lost'
  | 'rejected-503'
  | 'rejected-400'
  | 'invalid'
  | 'abandoned'

export interface LogEntry {
  seq: number
  project: string
  method: string
  path: string
  write: boolean
  /** The `Idempotency-Key`, unquoted; `keyHeader` is the header as it arrived. */
  key: string | undefined
  keyHeader: string | undefined
  /** The `x-tab` header: which browser tab sent it (the demo page adds it at send time). */
  tab: string | undefined
  rev: number | undefined
  outcome: Outcome | 'pending'
  /** Milliseconds (monotonic) when the request arrived and when its answer went out or it was cut. */
  start: number
  end: number | undefined
}

export interface AppliedWrite {
  key: string | undefined
  tab: string | undefined
  rev: number
  stops: Stop[]
}

export interface ServerRecord {
  /** API requests seen (control endpoints and static files not counted). */
  requests: number
  /** Writes applied, in the order they were applied. */
  applied: AppliedWrite[]
  /** Writes answered from the idempotency store instead of being applied again. */
  replays: number
  /** Repeats answered `409` because the first request with their key was still being processed. */
  inProgress: number
  /**
   * Requests whose lifetime on the server overlapped a write's (both taking effect: answered, or
   * applied). A read the client abandoned before its answer (an aborted fetch) is not counted:
   * its answer is never seen, and the browser may close its socket a moment after starting the
   * next request.
   */
  overlaps: number
  /** Requests the client gave up on before the answer. */
  abandoned: number
  log: LogEntry[]
  /** The project's (or room's) event streams. They are not in `log`: a stream stays open across writes. */
  streams: StreamRecord
  /** A room's messages, in the order the server appended them. */
  messages: ChatMessage[]
}

interface Project {
  messages: ChatMessage[]
  stops: Stop[]
  rev: number
  idempotency: IdempotencyStore
}

const PROJECT =
  /^\/(?:projects\/([\w-]{1,64})\/(stops|stats|events)|rooms\/([\w-]{1,64})\/(messages|events))$/

export interface ApiOptions {
  /** Start new projects with a sample route. Default true. */
  seed?: boolean
}

export interface Control {
  reset(): void
  set(knobs: Knobs): void
  record(project?: string): ServerRecord
}

export interface DemoApi {
  /** Node `http` handler; calls `next` (if given) for anything that is not the API. */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void
  control: Control
}

export function createDemoApi({ seed = true }: ApiOptions = {}): DemoApi {
  let projects = new Map<string, Project>()
  let log: LogEntry[] = []
  let applied: Array<AppliedWrite & { project: string }> = []
  const knobs = createKnobs()
  const hub = createHub()

  const project = (id: string): Project => {
    let p = projects.get(id)
    if (!p) {
      p = {
        stops: seed ? SEED_STOPS.map((s) => ({ ...s })) : [],
        rev: 0,
        idempotency: idempotencyStore(),
        messages: [],
      }
      projects.set(id, p)
    }
    return p
  }

  const control: Control = {
    reset() {
      projects = new Map()
      log = []
      applied = []
      knobs.reset()
      hub.reset()
    },
    set(k) {
      knobs.set(k)
      if (k.dropStreams) hub.drop(k.project)
    },
    record(id) {
      const entries = log.filter((e) => id === undefined || e.project === id)
      return {
        requests: entries.length,
        applied: applied
          .filter((a) => id === undefined || a.project === id)
          .map(({ project: _, ...a }) => a),
        replays: entries.filter((e) => e.outcome === 'replayed').length,
        inProgress: entries.filter((e) => e.outcome === 'in-progress').length,
        overlaps: countOverlaps(entries),
        abandoned: entries.filter((e) => e.outcome === 'abandoned').length,
        streams: hub.record(id),
        messages: id === undefined ? [] : (projects.get(id)?.messages ?? []).map((m) => ({ ...m })),
        log: entries.map((e) => ({ ...e })),
      }
    },
  }

  /** `GET …/events`: not in the request log, since it stays open while writes are applied. */
  async function events(req: IncomingMessage, res: ServerResponse, id: string) {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' })
      return res.end()
    }
    if (knobs.down(id)) return req.socket.destroy()
    await delay(knobs.latency(id))
    hub.connect(id, req, res, knobs.streamRetry(id))
  }

  async function api(
    req: IncomingMessage,
    res: ServerResponse,
    area: 'projects' | 'rooms',
    id: string,
    resource: string,
  ) {
    const write = req.method === 'POST'
    const writable = resource === (area === 'rooms' ? 'messages' : 'stops')
    const key = requestKey(req)
    const entry: LogEntry = {
      seq: log.length + 1,
      project: id,
      method: req.method ?? '',
      path: `/${area}/${id}/${resource}`,
      write,
      key,
      keyHeader: header(req, 'idempotency-key'),
      tab: header(req, 'x-tab'),
      rev: undefined,
      outcome: 'pending',
      start: performance.now(),
      end: undefined,
    }
    log.push(entry)
    let done = false
    const finish = (outcome: Outcome) => {
      if (done) return
      done = true
      entry.outcome = outcome
      entry.end = performance.now()
    }
    // The client went away before the answer: an aborted fetch, a closed tab, a reload.
    res.on('close', () => finish('abandoned'))
    const drop = (outcome: Outcome) => {
      finish(outcome)
      req.socket.destroy()
    }
    const send = (
      status: number,
      body: unknown,
      outcome: Outcome,
      extra: Record<string, string> = {},
    ) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body)
      res.writeHead(status, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        // Every answer closes its connection. Chromium silently resends a request whose reused
        // keep-alive socket was closed by the server, which would hide a dropped request from the page.
        connection: 'close',
        ...extra,
      })
      res.end(text)
      // The answer is complete here. The 'finish' event comes only once the socket took the data,
      // which under load can be after the next request arrived: a false overlap.
      finish(outcome)
    }

    if (knobs.down(id)) return drop('dropped')
    if (knobs.hang(id)) {
      const h = knobs.hold(id, () => drop('dropped'))
      res.on('close', () => h.release())
      return
    }
    if (req.method !== 'GET' && !(write && writable)) {
      return send(405, { error: 'method not allowed' }, 'invalid', {
        allow: writable ? 'GET, POST' : 'GET',
      })
    }
    const rule = knobs.takeRule(id, write)
    if (rule?.mode === 'drop') return drop('dropped')
    const raw = write ? await readBody(req) : ''
    await delay(knobs.latency(id))
    if (rule?.mode === '503') {
      return send(503, { error: 'service unavailable (test knob)' }, 'rejected-503', {
        'retry-after': String(rule.retryAfter),
      })
    }
    if (rule?.mode === '400') return send(400, { error: 'rejected (test knob)' }, 'rejected-400')

    const p = project(id)
    if (!write) {
      if (done) return
      const body =
        area === 'rooms'
          ? { messages: p.messages }
          : resource === 'stats'
            ? routeStats(p.stops, p.rev)
            : { stops: p.stops, rev: p.rev }
      return send(200, body, 'read')
    }

    const applyMessage = (): Answer => {
      let parsed: ReturnType<typeof parseMessageBody>
      try {
        parsed = parseMessageBody(JSON.parse(raw))
      } catch {
        parsed = 'body is not JSON'
      }
      if (typeof parsed === 'string')
        return { status: 400, body: JSON.stringify({ error: parsed }) }
      const { id: messageId } = parsed
      // The message's own id makes a resend harmless even without an Idempotency-Key.
      let message = p.messages.find((m) => m.id === messageId)
      if (!message) {
        message = { seq: p.messages.length + 1, ...parsed }
        p.messages.push(message)
        hub.publish(id, 'message', message)
        entry.outcome = 'applied'
      }
      return { status: 201, body: JSON.stringify({ seq: message.seq }) }
    }
    const apply = (): Answer => {
      if (area === 'rooms') return applyMessage()
      let parsed: ReturnType<typeof parseStopsBody>
      try {
        parsed = parseStopsBody(JSON.parse(raw))
      } catch {
        parsed = 'body is not JSON'
      }
      if (typeof parsed === 'string')
        return { status: 400, body: JSON.stringify({ error: parsed }) }
      p.stops = parsed.stops
      p.rev = parsed.rev
      entry.rev = parsed.rev
      applied.push({ project: id, key, tab: entry.tab, rev: parsed.rev, stops: parsed.stops })
      hub.publish(id, 'revision', { rev: p.rev, stopCount: p.stops.length, tab: entry.tab })
      entry.outcome = 'applied'
      return { status: 200, body: JSON.stringify({ rev: p.rev, stopCount: p.stops.length }) }
    }

    // Slow processing holds the key in progress; the work goes on if the client gives up.
    const processing = knobs.processing(id)
    const work = processing ? () => delay(processing).then(apply) : apply
    const handled = await p.idempotency.handle(key, raw, work)
    const { status, body, headers } = handled.answer
    if (handled.outcome === 'reused') return send(status, body, 'invalid', headers)
    if (handled.outcome === 'in-progress') return send(status, body, 'in-progress', headers)
    if (handled.outcome === 'replayed') {
      entry.outcome = 'replayed'
      return send(status, body, 'replayed', { ...headers, 'idempotent-replayed': 'true' })
    }
    if (rule?.mode === 'lose-response' && status < 300) return drop('lost')
    send(status, body, status < 300 ? 'applied' : 'invalid', headers)
  }

  function handle(req: IncomingMessage, res: ServerResponse, next?: () => void) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const match = PROJECT.exec(url.pathname)
    const fail = (error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: String(error) }))
      }
    }
    if (match) {
      const [, project, resource, room, roomResource] = match
      const id = (project ?? room)!
      const what = (resource ?? roomResource)!
      if (what === 'events') events(req, res, id).catch(fail)
      else api(req, res, project ? 'projects' : 'rooms', id, what).catch(fail)
      return
    }
    if (url.pathname === '/uploads') {
      upload(req, res, url).catch(fail)
      return
    }
    if (url.pathname.startsWith('/__control/')) {
      controlEndpoint(req, res, url, control).catch((error) => {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: String(error) }))
      })
      return
    }
    if (next) return next()
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found')
  }

  return { handle, control }
}

async function controlEndpoint(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  control: Control,
) {
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  const action = url.pathname.slice('/__control/'.length)
  if (action === 'record' && req.method === 'GET') {
    return json(control.record(url.searchParams.get('project') ?? undefined))
  }
  if (action === 'reset' && req.method === 'POST') {
    control.reset()
    return json({ ok: true })
  }
  if (action === 'knobs' && req.method === 'POST') {
    control.set(JSON.parse((await readBody(req)) || '{}') as Knobs)
    return json({ ok: true })
  }
  res.writeHead(404, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: 'unknown control endpoint' }))
}

/** Counts requests whose lifetime overlapped a write's, both having taken effect. */
export function countOverlaps(entries: LogEntry[]): number {
  const effective = entries.filter(
    (e) =>
      e.outcome === 'pending' ||
      e.outcome === 'applied' ||
      e.outcome === 'lost' ||
      e.outcome === 'replayed' ||
      e.outcome === 'read',
  )
  const hit = new Set<LogEntry>()
  for (let i = 0; i < effective.length; i++) {
    const a = effective[i]!
    for (let j = i + 1; j < effective.length; j++) {
      const b = effective[j]!
      if (!a.write && !b.write) continue
      if (
        b.start < (a.end ?? Number.POSITIVE_INFINITY) &&
        a.start < (b.end ?? Number.POSITIVE_INFINITY)
      ) {
        hit.add(a)
        hit.add(b)
      }
    }
  }
  return hit.size
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('body too large'))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()))

export interface ServerOptions extends ApiOptions {
  /** 0 picks a free port. Default 0. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** A folder of static files to serve besides the API, e.g. the built demo page. */
  root?: string
}

export interface DemoServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string
  port: number
  server: Server
  control: Control
  close(): Promise<void>
}

export async function startServer({
  port = 0,
  host = '127.0.0.1',
  root,
  ...api
}: ServerOptions = {}): Promise<DemoServer> {
  const { handle, control } = createDemoApi(api)
  const base = root ? normalize(root) : undefined
  const server = createServer((req, res) => {
    handle(req, res, () => {
      if (base && (req.method === 'GET' || req.method === 'HEAD')) {
        serveStatic(base, req, res).catch(() => res.destroy())
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('not found')
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const actual = (server.address() as AddressInfo).port
  const shown =
    host === '127.0.0.1' || host === '::1' || host === 'localhost'
      ? host.replace('::1', '[::1]')
      : 'localhost'
  return {
    url: `http://${shown}:${actual}`,
    port: actual,
    server,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
