import { Window } from 'happy-dom'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isHttpError, isNetworkError, isTimeoutError } from '../../src/errors.ts'
import type { QueueEvents } from '../../src/index.ts'
import type { QueueOptions } from '../../src/options.ts'
import { createQueue } from '../../src/queue.ts'
import { fakeTimersClock, manualClock } from '../../src/testing/clock.ts'
import { manualOnline } from '../../src/testing/online.ts'
import { type XhrTransportOptions, xhrTransport } from '../../src/xhr.ts'
import { startHttp, stopHttp } from '../support/http.ts'
import { settle, track } from '../support/queue.ts'
import { startTestServer, type TestServer } from './server.ts'

let server: TestServer
let window: Window

beforeAll(async () => {
  // Real HTTP end to end: msw (started for every unit file) would sit between happy-dom's
  // XMLHttpRequest and the server, and buffer what the progress tests watch arrive.
  stopHttp()
  server = await startTestServer()
  // Same origin as the server, so happy-dom applies no CORS rules.
  window = new Window({ url: `${server.origin}/` })
})
afterAll(async () => {
  await window.happyDOM.abort()
  await window.happyDOM.close()
  await server.close()
  await startHttp()
})

function setup(options: XhrTransportOptions = {}, queue: QueueOptions = {}) {
  const made: XMLHttpRequest[] = []
  const transport = xhrTransport({
    create: () => {
      const xhr = new window.XMLHttpRequest() as unknown as XMLHttpRequest
      made.push(xhr)
      return xhr
    },
    ...options,
  })
  const q = track(
    createQueue({
      transport,
      online: manualOnline(),
      clock: manualClock(),
      retry: { networkLimit: 0 },
      timeout: false,
      ...queue,
    }),
  )
  const progress: Omit<QueueEvents['progress'], 'item'>[] = []
  q.on('progress', ({ direction, loaded, total }) => progress.push({ direction, loaded, total }))
  return { queue: q, made, progress, url: (path: string) => `${server.origin}${path}` }
}

describe('xhr: the Response', () => {
  it('resolves a real Response: status, status text, headers from getAllResponseHeaders, body, url', async () => {
    const { queue, url } = setup()
    const res = await queue.fetch(url('/text'))
    expect(res).toBeInstanceOf(Response)
    expect([res.status, res.statusText, res.ok]).toEqual([200, 'Fine', true])
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(res.headers.get('x-one')).toBe('1')
    expect(res.headers.get('x-two')).toBe('b, c')
    expect(res.url).toBe(url('/text'))
    expect(await res.text()).toBe('hello')
  })

  it("follows redirects as fetch does; the Response's url is where they ended", async () => {
    const { queue, url } = setup()
    const res = await queue.fetch(url('/redirect'))
    expect(res.url).toBe(url('/text'))
    expect(await res.text()).toBe('hello')
  })

  // The bytes read through a Blob are checked in Chromium (test/e2e/xhr-upload.test.ts): a
  // happy-dom Blob is of another realm than Node's Response.
  it("responseType: 'blob' asks the XHR for a Blob; the default is an ArrayBuffer", async () => {
    const blob = setup({ responseType: 'blob' })
    await blob.queue.fetch(blob.url('/text'))
    const plain = setup()
    const res = await plain.queue.fetch(plain.url('/bytes?bytes=1000&length'))
    expect([blob.made[0]!.responseType, plain.made[0]!.responseType]).toEqual([
      'blob',
      'arraybuffer',
    ])
    expect((await res.arrayBuffer()).byteLength).toBe(1000)
  })

  it('a 204 and a HEAD have a null body, as with fetch', async () => {
    const { queue, url } = setup()
    const none = await queue.fetch(url('/status?code=204'))
    const head = await queue.fetch(url('/text'), { method: 'HEAD' })
    expect([none.status, none.body]).toEqual([204, null])
    expect([head.status, head.body, head.headers.get('x-one')]).toEqual([200, null, '1'])
  })

  it('a failing status is an HttpError carrying the response, as with fetch', async () => {
    const { queue, url } = setup()
    const p = settle(queue.fetch(url('/status?code=404&text=Gone%20fishing')))
    await vi.waitFor(() => expect(p.status).toBe('rejected'))
    expect(isHttpError(p.reason)).toBe(true)
    const { response } = p.reason as { response: Response }
    expect([response.status, response.statusText]).toEqual([404, 'Gone fishing'])
  })
})

describe('xhr: the request', () => {
  it('sends the method, the headers (idempotency key included) and a string body', async () => {
    const { queue, url } = setup()
    const res = await queue.fetch(url('/echo'), {
      method: 'PATCH',
      json: { a: 1 },
      headers: { 'x-app': 'yes' },
    })
    expect(await res.json()).toEqual({ method: 'PATCH', bytes: 7, text: '{"a":1}' })
    const seen = server.seen.at(-1)!
    expect(seen.headers['x-app']).toBe('yes')
    expect(seen.headers['content-type']).toBe('application/json')
    expect(seen.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each([
    ['an ArrayBuffer', () => new Uint8Array([1, 2, 3]).buffer],
    ['a Uint8Array', () => new Uint8Array([1, 2, 3])],
    ['URLSearchParams', () => new URLSearchParams({ a: '1' })],
  ])('sends %s body byte for byte', async (_, body) => {
    const { queue, url } = setup()
    const sent = body()
    await queue.fetch(url('/echo'), { method: 'POST', body: sent })
    const expected =
      sent instanceof URLSearchParams ? Buffer.from(sent.toString()) : Buffer.from(sent as never)
    expect(server.seen.at(-1)!.body.equals(expected)).toBe(true)
  })

  it("credentials: 'include' sets withCredentials; anything else leaves it off", async () => {
    const { queue, url, made } = setup()
    await queue.fetch(url('/text'), { credentials: 'include' })
    await queue.fetch(url('/text'))
    expect(made.map((x) => x.withCredentials)).toEqual([true, false])
  })

  it('a body it cannot send (a ReadableStream, set by beforeSend) fails with a TypeError that says so, before anything is sent', async () => {
    const { queue, url } = setup(
      {},
      {
        beforeSend: (request) => {
          request.body = new ReadableStream()
        },
      },
    )
    const before = server.seen.length
    const p = settle(queue.fetch(url('/echo'), { method: 'POST', body: 'x' }))
    await vi.waitFor(() => expect(p.status).toBe('rejected'))
    expect(isNetworkError(p.reason)).toBe(true)
    const cause = (p.reason as Error).cause as Error
    expect(cause).toBeInstanceOf(TypeError)
    expect(cause.message).toMatch(/cannot send a ReadableStream body/)
    expect(server.seen.length).toBe(before)
  })

  it.each([
    ["redirect: 'manual'", { redirect: 'manual' }, /follows redirects/],
    ["redirect: 'error'", { redirect: 'error' }, /follows redirects/],
    ["mode: 'no-cors'", { mode: 'no-cors' }, /no-cors/],
  ] as const)('%s cannot be honoured: a TypeError that says so', async (_, init, message) => {
    const { queue, url } = setup()
    const p = settle(queue.fetch(url('/text'), init))
    await vi.waitFor(() => expect(p.status).toBe('rejected'))
    expect(((p.reason as Error).cause as Error).message).toMatch(message)
  })

  it('bad options are a TypeError at xhrTransport()', () => {
    expect(() => xhrTransport({ responseType: 'json' as never })).toThrow(/responseType/)
    expect(() => xhrTransport({ create: 1 as never })).toThrow(/create/)
  })
})

describe('xhr: abort, timeout and dropped connections', () => {
  it("aborting the caller's signal aborts the XHR and rejects with the signal's reason", async () => {
    const { queue, url } = setup()
    const ctrl = new AbortController()
    const p = settle(queue.fetch(url('/hang'), { signal: ctrl.signal }))
    await vi.waitFor(() => expect(server.seen.at(-1)?.path).toBe('/hang'))
    const reason = new Error('user left')
    ctrl.abort(reason)
    await vi.waitFor(() => expect(p.status).toBe('rejected'))
    expect(p.reason).toBe(reason)
    await vi.waitFor(() => expect(server.closedEarly).toContain('/hang'))
  })

  it("called on its own, the transport rejects with the signal's reason, as fetch does", async () => {
    const transport = xhrTransport({ create: () => new window.XMLHttpRequest() as never })
    const ctrl = new AbortController()
    const request = {
      url: `${server.origin}/hang`,
      method: 'GET',
      headers: new Headers(),
      signal: ctrl.signal,
    }
    const p = transport(request, { signal: ctrl.signal, attempt: 1, item: {} as never })
    await vi.waitFor(() => expect(server.seen.at(-1)?.path).toBe('/hang'))
    const reason = new DOMException('stop', 'AbortError')
    ctrl.abort(reason)
    await expect(p).rejects.toBe(reason)
  })

  it("the queue's timeout aborts the XHR: the attempt ends with a TimeoutError", async () => {
    const { queue, url } = setup({}, { clock: fakeTimersClock(), timeout: 200 })
    const p = settle(queue.fetch(url('/hang')))
    await vi.waitFor(() => expect(p.status).toBe('rejected'), { timeout: 5000 })
    expect(isTimeoutError(p.reason)).toBe(true)
  })

  it('a dropped connection rejects with a TypeError, which the queue counts as a connection failure', async () => {
    const { queue, url } = setup()
    const p = settle(queue.fetch(url('/drop')))
    await vi.waitFor(() => expect(p.status).toBe('rejected'))
    expect(isNetworkError(p.reason)).toBe(true)
    expect((p.reason as Error).cause).toBeInstanceOf(TypeError)
  })
})

describe('xhr: progress', () => {
  it('download progress rises to the total (Content-Length), the final one always raised', async () => {
    const { queue, url, progress } = setup()
    await queue.fetch(url('/bytes?bytes=300000&length'))
    const down = progress.filter((p) => p.direction === 'download')
    expect(down.length).toBeGreaterThanOrEqual(2)
    expect(down.at(-1)).toEqual({ direction: 'download', loaded: 300_000, total: 300_000 })
    expect(down.every((p) => p.total === 300_000)).toBe(true)
    const loaded = down.map((p) => p.loaded)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
  })

  it('without Content-Length, the last download event gives the size as the total', async () => {
    const { queue, url, progress } = setup()
    await queue.fetch(url('/bytes?bytes=200000'))
    const down = progress.filter((p) => p.direction === 'download')
    expect(down[0]!.total).toBeUndefined()
    expect(down.at(-1)).toEqual({ direction: 'download', loaded: 200_000, total: 200_000 })
  })

  it("upload progress from xhr.upload reaches the queue's progress event", async () => {
    const { queue, url, made, progress } = setup()
    const p = queue.fetch(url('/hang'), { method: 'POST', body: 'x'.repeat(10) })
    await vi.waitFor(() => expect(made).toHaveLength(1))
    const fire = (loaded: number) =>
      made[0]!.upload.dispatchEvent(
        new window.ProgressEvent('progress', {
          lengthComputable: true,
          loaded,
          total: 10,
        }) as never,
      )
    fire(4)
    fire(10)
    expect(progress).toEqual([
      { direction: 'upload', loaded: 4, total: 10 },
      { direction: 'upload', loaded: 10, total: 10 },
    ])
    queue.dispose()
    await p.catch(() => {})
  })

  it('uploadProgress: false, or a request without a body, puts no listener on xhr.upload (no CORS preflight)', async () => {
    const off = setup({ uploadProgress: false })
    await off.queue.fetch(off.url('/echo'), { method: 'POST', body: 'x' })
    const bodiless = setup()
    await bodiless.queue.fetch(bodiless.url('/text'))
    expect(off.made[0]!.upload.onprogress).toBeNull()
    expect(bodiless.made[0]!.upload.onprogress).toBeNull()
    const on = setup()
    await on.queue.fetch(on.url('/echo'), { method: 'POST', body: 'x' })
    expect(on.made[0]!.upload.onprogress).toBeTypeOf('function')
  })
})
