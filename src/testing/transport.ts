import type { QueueRequest, Transport } from '../types.ts'
import type { CallMatch, Reply, TestCall, TestTransport, TestTransportOptions } from './calls.ts'
import { matchRequest } from './match.ts'

const READS = ['GET', 'HEAD', 'OPTIONS']
const NULL_BODY = [101, 103, 204, 205, 304]

function text(body: QueueRequest['body']): string | undefined {
  if (body == null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new TextDecoder().decode(body)
  if (body instanceof URLSearchParams) return body.toString()
  return Object.prototype.toString.call(body)
}

function toResponse(reply: Reply = 200): Response {
  if (reply instanceof Response) return reply
  const r = typeof reply === 'number' ? { status: reply } : reply
  const status = r.status ?? 200
  const headers = new Headers(r.headers)
  let body = r.body ?? null
  if (r.json !== undefined) {
    body = JSON.stringify(r.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  return new Response(NULL_BODY.includes(status) ? null : body, {
    status,
    statusText: r.statusText ?? '',
    headers,
  })
}

/** A bad pattern throws at the test's own call, not later inside the transport. */
function checkMatch(match: unknown): CallMatch | undefined {
  if (
    match === undefined ||
    typeof match === 'string' ||
    typeof match === 'function' ||
    match instanceof RegExp
  )
    return match as CallMatch | undefined
  throw new TypeError(
    `testTransport: a call match must be a string, a RegExp or a function, got ${String(match)}`,
  )
}

const matches = (match: CallMatch | undefined, call: TestCall): boolean =>
  match === undefined ||
  (typeof match === 'function' ? match(call) : matchRequest(match, call.method, call.url))

/**
 * A transport the test answers. Every call is recorded with its request, timing and the calls
 * it overlapped, and stays open until the test (or a rule) answers, fails, drops or hangs it.
 * Nothing global is stubbed, so it runs beside msw or any other test double.
 *
 * @example
 * const t = testTransport()
 * const queue = createQueue({ transport: t.transport })
 * queue.fetch('/stops', { method: 'POST', json: stops })
 * const save = await t.next('POST /stops')
 * expect(save.json()).toEqual(stops)
 * save.answer({ json: { rev: 2 } })
 */
export function testTransport(options: TestTransportOptions = {}): TestTransport {
  let time = 0
  let maxLive = 0
  const calls: TestCall[] = []
  const live = new Set<TestCall>()
  const overlaps: [TestCall, TestCall][] = []
  const rules: [CallMatch, (call: TestCall) => void][] = []
  const waiting: [CallMatch | undefined, (call: TestCall) => void][] = []
  const isOpen = (c: TestCall) => !c.settled && !c.hung

  const offer = (call: TestCall) => {
    for (const rule of [...rules]) {
      if (!isOpen(call)) return
      // A handler may have removed a later rule.
      if (rules.includes(rule) && matches(rule[0], call)) rule[1](call)
    }
    const i = waiting.findIndex(([match]) => isOpen(call) && matches(match, call))
    if (i >= 0) waiting.splice(i, 1)[0]![1](call)
  }

  const transport: Transport = (request, context) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(request.url)
      let settled = false
      let hung = false
      const finish = () => {
        if (settled) return false
        settled = true
        call.end = ++time
        live.delete(call)
        return true
      }
      const call: TestCall & { end: number | undefined } = {
        index: calls.length,
        request,
        context,
        method: request.method,
        url: request.url,
        label: `${request.method} ${url.pathname}${url.search}`,
        kind: context.item?.kind ?? (READS.includes(request.method) ? 'read' : 'write'),
        body: text(request.body),
        key: request.headers.get('idempotency-key'),
        signal: context.signal,
        start: ++time,
        end: undefined,
        overlapping: [...live],
        get settled() {
          return settled
        },
        get hung() {
          return hung
        },
        json: () => JSON.parse(call.body ?? ''),
        answer(reply) {
          // Built before finish(): a bad reply throws at the test's call, the call stays open.
          const response = toResponse(reply)
          if (finish()) resolve(response)
        },
        fail(status = 500, reply = {}) {
          call.answer({ ...reply, status })
        },
        drop(...error: unknown[]) {
          if (finish()) reject(error.length ? error[0] : new TypeError('Failed to fetch'))
        },
        hang() {
          hung = true
        },
      }
      for (const other of live) overlaps.push([other, call])
      calls.push(call)
      live.add(call)
      maxLive = Math.max(maxLive, live.size)
      if (!options.ignoreAbort) {
        const onAbort = () => call.drop(context.signal.reason)
        if (context.signal.aborted) onAbort()
        else context.signal.addEventListener('abort', onAbort, { once: true })
      }
      offer(call)
    })

  const open = (match?: CallMatch) => {
    checkMatch(match)
    return calls.filter((c) => isOpen(c) && matches(match, c))
  }

  return {
    transport,
    calls,
    get live() {
      return [...live]
    },
    get maxLive() {
      return maxLive
    },
    overlaps,
    get writeOverlaps() {
      return overlaps.filter(([a, b]) => a.kind === 'write' || b.kind === 'write')
    },
    labels: () => calls.map((c) => c.label),
    open,
    next(match) {
      checkMatch(match)
      const first = open(match)[0]
      if (first) return Promise.resolve(first)
      return new Promise((resolve) => waiting.push([match, resolve]))
    },
    on(match, handler) {
      checkMatch(match)
      if (typeof handler !== 'function')
        throw new TypeError(`testTransport: on() needs a handler function, got ${String(handler)}`)
      const rule: [CallMatch, (call: TestCall) => void] = [match, handler]
      rules.push(rule)
      for (const call of open(match)) if (isOpen(call)) handler(call)
      return () => {
        const i = rules.indexOf(rule)
        if (i >= 0) rules.splice(i, 1)
      }
    },
  }
}
