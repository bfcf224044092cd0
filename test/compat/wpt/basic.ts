/**
 * Basic request behaviours, after the web-platform tests in fetch/api/basic/ (request-upload,
 * request-headers-case, scheme-data) and fetch/api/request/request-error.any.js (where a
 * Request's content-type comes from). Rewritten here, not copied. Each compares what the queue
 * sends and returns with what plain fetch does, in the same environment.
 */
import { describe, expect, it } from 'vitest'
import { createQueue } from '../../../src/index.ts'
import type { Env } from './env.ts'

interface Echo {
  method: string
  headers: [string, string][]
  body: string
}

/** What reached the server, minus the idempotency key the queue adds on purpose. */
const echoed = async (response: Response) => {
  const echo = (await response.json()) as Echo
  const keep = ['content-type', 'content-length', 'this-is-a-test']
  return {
    method: echo.method,
    headers: echo.headers.filter(([name]) => keep.includes(name)).sort(),
    body: echo.body,
  }
}

/** Calls `f` with plain fetch and with queue.fetch; returns both observations. */
async function both<T>(f: (fetch: typeof globalThis.fetch) => Promise<T>): Promise<[T, T]> {
  const plain = await f(globalThis.fetch.bind(globalThis))
  const queue = createQueue()
  try {
    return [plain, await f(queue.fetch)]
  } finally {
    queue.dispose()
  }
}

const BODIES: [string, () => BodyInit][] = [
  ['a text body', () => "Request's body"],
  ['a URLSearchParams body', () => new URLSearchParams('name=value')],
  ['a Blob body', () => new Blob(['Test'])],
  ['a Blob body with a type', () => new Blob(['Test'], { type: 'text/maybe' })],
  ['an ArrayBuffer body', () => new ArrayBuffer(4)],
  ['a Uint8Array body', () => new Uint8Array(4)],
  ['an Int8Array body', () => new Int8Array(4)],
  ['a Float32Array body', () => new Float32Array(1)],
  ['a Float64Array body', () => new Float64Array(1)],
  ['a DataView body', () => new DataView(new ArrayBuffer(8), 0, 4)],
]

export function basicBehaviours(env: Env) {
  describe('basic requests (WPT fetch/api/basic/request-upload.any.js): the queue sends what fetch sends', () => {
    it.each(BODIES)('POST with %s', async (_, body) => {
      const [plain, queued] = await both(async (f) =>
        echoed(await f(`${env.base}/echo`, { method: 'POST', body: body() })),
      )
      expect(queued).toEqual(plain)
      expect(plain.body.length).toBeGreaterThan(0)
    })

    it('PUT with a text body', async () => {
      const [plain, queued] = await both(async (f) =>
        echoed(await f(`${env.base}/echo`, { method: 'PUT', body: "Request's body" })),
      )
      expect(queued).toEqual(plain)
    })
  })

  describe('headers (WPT fetch/api/basic/request-headers-case.any.js)', () => {
    it('two headers of one name in different case are combined into one, as fetch does', async () => {
      const headers: [string, string][] = [
        ['THIS-is-A-test', '1'],
        ['THIS-IS-A-TEST', '2'],
      ]
      const [plain, queued] = await both(async (f) =>
        echoed(await f(`${env.base}/echo`, { headers })),
      )
      expect(plain.headers).toEqual([['this-is-a-test', '1, 2']])
      expect(queued).toEqual(plain)
    })
  })

  describe('content-type of a Request input (WPT fetch/api/request/request-error.any.js)', () => {
    const cases: [string, () => [Request, RequestInit?]][] = [
      [
        'from the Request’s headers',
        () => [new Request(`${env.base}/echo`, { headers: { 'content-type': 'potato' } })],
      ],
      [
        'not from the Request when the init brings its own headers',
        () => [
          new Request(`${env.base}/echo`, { headers: { 'content-type': 'potato' } }),
          { headers: new Headers() },
        ],
      ],
      [
        'from the body when none is given',
        () => [new Request(`${env.base}/echo`, { method: 'POST', body: 'this is my plate' })],
      ],
      [
        'from the Request’s headers over the body',
        () => [
          new Request(`${env.base}/echo`, {
            method: 'POST',
            body: 'plate',
            headers: { 'content-type': 'potato' },
          }),
        ],
      ],
    ]
    it.each(cases)('the content-type comes %s', async (_, args) => {
      const [plain, queued] = await both(async (f) => echoed(await f(...args())))
      expect(queued).toEqual(plain)
    })
  })

  describe('data: URLs (WPT fetch/api/basic/scheme-data.any.js)', () => {
    const cases: [string, string, RequestInit][] = [
      ['GET', 'data:,response%27s%20body', {}],
      ['GET, mode same-origin', 'data:,response%27s%20body', { mode: 'same-origin' }],
      ['GET, mode cors', 'data:,response%27s%20body', { mode: 'cors' }],
      ['GET, base64', 'data:text/plain;base64,cmVzcG9uc2UncyBib2R5', {}],
      ['POST', 'data:,response%27s%20body', { method: 'POST' }],
      ['HEAD', 'data:,response%27s%20body', { method: 'HEAD' }],
    ]
    it.each(cases)('%s: the same response as fetch', async (_, url, init) => {
      const [plain, queued] = await both(async (f) => {
        const r = await f(url, init)
        return {
          status: r.status,
          type: r.type,
          ctype: r.headers.get('content-type'),
          text: await r.text(),
        }
      })
      expect(plain.status).toBe(200)
      expect(queued).toEqual(plain)
    })
  })
}
