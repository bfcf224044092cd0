import { describe, expect, it } from 'vitest'
import { createQueue, isNetworkError, type QueueOptions } from '../../src/index.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { settle, setup, track, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

const bad: [string, QueueOptions, RegExp][] = [
  ['maxParallelReads', { maxParallelReads: 0 }, /`maxParallelReads` must be a number ≥ 1, got 0$/],
  ['maxParallelReads', { maxParallelReads: Number.NaN }, /`maxParallelReads` must be .*, got NaN$/],
  [
    'maxParallelReads',
    { maxParallelReads: '3' as never },
    /`maxParallelReads` must be .*, got "3"$/,
  ],
  ['timeout', { timeout: 0 }, /`timeout` must be a number of milliseconds > 0 or false, got 0$/],
  ['timeout', { timeout: true as never }, /`timeout` must be .*, got true$/],
  ['retry', { retry: -1 }, /`retry` must be a number ≥ 0 or a retry policy, got -1$/],
  ['retry', { retry: 'often' as never }, /`retry` must be .*, got "often"$/],
  ['retry.limit', { retry: { limit: -2 } }, /`retry.limit` must be a number ≥ 0, got -2$/],
  [
    'retry.baseDelay',
    { retry: { baseDelay: Number.NaN } },
    /`retry.baseDelay` must be .*, got NaN$/,
  ],
  ['retry.statuses', { retry: { statuses: 503 as never } }, /`retry.statuses` must be an array/],
  [
    'idempotency',
    { idempotency: 'sometimes' as never },
    /`idempotency` must be .*, got "sometimes"$/,
  ],
  [
    'onFailure',
    { onFailure: 'stop' as never },
    /`onFailure` must be 'continue' or 'pause', got "stop"$/,
  ],
  ['transport', { transport: 'fetch' as never }, /`transport` must be a function, got "fetch"$/],
  ['beforeSend', { beforeSend: 1 as never }, /`beforeSend` must be a function, got 1$/],
  ['clock', { clock: {} as never }, /`clock` must be a clock/],
  ['online', { online: { isOnline: true } as never }, /`online` must be an online source/],
  ['spool', { spool: { load() {} } as never }, /`spool` must be a spool/],
  [
    'spool',
    {
      spool: {
        name: 'mine',
        load: () => ({ records: [] }),
        put() {},
        delete() {},
        clear() {},
      } as never,
    },
    /`spool` must be a spool from localStorageSpool\(\), memorySpool\(\) or defineSpool\(\)/,
  ],
]

describe('input: createQueue options', () => {
  it.each(bad)(
    'an invalid `%s` throws a TypeError naming the option, what it expects and what it got',
    (_, options, message) => {
      let error: unknown
      try {
        createQueue({ online: fakeOnline(), ...options })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(/^fetch-queue: option `/)
      expect((error as Error).message).toMatch(message)
    },
  )

  it('valid edge values are accepted and take effect', async () => {
    // retry: 0: a 503 fails at once instead of being retried.
    const noRetry = setup({ retry: 0 }, { auto: () => 503 })
    await expect(noRetry.queue.fetch(url('/a'), { method: 'POST' })).rejects.toMatchObject({
      name: 'HttpError',
    })
    expect(noRetry.t.calls).toHaveLength(1)
    // An empty statuses list: nothing is retryable.
    const none = setup({ retry: { limit: 3, statuses: [] } }, { auto: () => 503 })
    await expect(none.queue.fetch(url('/a'))).rejects.toMatchObject({ name: 'HttpError' })
    expect(none.t.calls).toHaveLength(1)
    // timeout: false arms no timer; maxParallelReads: 1 runs one read at a time.
    const serial = setup({ timeout: false, maxParallelReads: 1 })
    serial.queue.fetch(url('/r1'))
    serial.queue.fetch(url('/r2'))
    await flush()
    expect(serial.t.live).toHaveLength(1)
    expect(serial.clock.timers).toBe(0)
    // idempotency: false sends no key, even on a write.
    const keyless = setup({ idempotency: false }, { auto: () => 200 })
    await keyless.queue.fetch(url('/w'), { method: 'POST' })
    expect(keyless.t.calls[0]!.request.headers.has('idempotency-key')).toBe(false)
    // No options at all: a queue that sends.
    const plain = track(
      createQueue({ online: fakeOnline(), transport: async () => new Response('ok') }),
    )
    expect(await (await plain.fetch(url('/x'))).text()).toBe('ok')
  })
})

const invalidCalls: [string, () => [RequestInfo | URL, Record<string, unknown>?]][] = [
  ['a relative URL without a page', () => ['/relative']],
  ['a malformed URL', () => ['http://[::1']],
  ['a method that is not a token', () => [url('/a'), { method: 'BAD METHOD' }]],
  ['a forbidden method', () => [url('/a'), { method: 'CONNECT' }]],
  ['a GET with a body', () => [url('/a'), { body: 'x' }]],
  ['a HEAD with a body', () => [url('/a'), { method: 'HEAD', body: 'x' }]],
  ['both body and json', () => [url('/a'), { method: 'POST', body: 'x', json: {} }]],
  [
    'a ReadableStream body',
    () => [url('/a'), { method: 'POST', body: new ReadableStream(), duplex: 'half' }],
  ],
  ['a bad dedupe', () => [url('/a'), { dedupe: 5 }]],
  ['a bad kind', () => [url('/a'), { kind: 'other' }]],
  ['a bad per-item retry', () => [url('/a'), { retry: -1 }]],
  ['a bad per-item timeout', () => [url('/a'), { timeout: 0 }]],
  ['a non-string idempotencyKey', () => [url('/a'), { method: 'POST', idempotencyKey: 5 }]],
  [
    'an idempotencyKey with a newline',
    () => [url('/a'), { method: 'POST', idempotencyKey: 'k\r\nx-b: 2' }],
  ],
  ['a header name that is not a token', () => [url('/a'), { headers: { 'x a': '1' } }]],
  ['a header value with a newline', () => [url('/a'), { headers: { 'x-a': '1\r\nx-b: 2' } }]],
  ['a header value over U+00FF', () => [url('/a'), { headers: { 'x-a': '5 €' } }]],
  ['an idempotencyKey over U+00FF', () => [url('/a'), { method: 'POST', idempotencyKey: 'k€' }]],
  ['a header pair of three', () => [url('/a'), { headers: [['x-a', '1', '2']] as never }]],
  ['credentials in the URL', () => ['https://user:secret@api.test/a']],
  ['an about: URL', () => ['about:blank']],
  ['a data: URL without a comma', () => ['data:nothing']],
  ['a window that is not null', () => [url('/a'), { window: {} }]],
  ["mode 'navigate' in an init", () => [url('/a'), { mode: 'navigate' }]],
  ['a referrer that is not a URL', () => [url('/a'), { referrer: 'http://:bad' }]],
  ["mode 'no-cors' with PUT", () => [url('/a'), { mode: 'no-cors', method: 'PUT' }]],
  [
    "cache 'only-if-cached' outside mode 'same-origin'",
    () => [url('/a'), { cache: 'only-if-cached' }],
  ],
  ['a misspelt credentials', () => [url('/a'), { credentials: 'includes' }]],
  ['a misspelt mode', () => [url('/a'), { mode: 'same_origin' }]],
  ['a misspelt cache', () => [url('/a'), { cache: 'nostore' }]],
  ['a misspelt redirect', () => [url('/a'), { redirect: 'follows' }]],
  ['a misspelt referrerPolicy', () => [url('/a'), { referrerPolicy: 'no-referer' }]],
  ['a misspelt priority', () => [url('/a'), { priority: 'urgent' }]],
  ['a credentials that is not a string', () => [url('/a'), { credentials: null }]],
  [
    'a Request in no-cors mode with an init method PUT',
    () => [new Request(url('/a'), { mode: 'no-cors' }), { method: 'PUT' }],
  ],
]

describe('input: queue.fetch arguments', () => {
  it.each(invalidCalls)(
    '%s rejects the call with a TypeError and the queue keeps running',
    async (_, args) => {
      const { queue, t } = setup()
      const [input, init] = args()
      const error = await queue.fetch(input, init as never).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(/^fetch-queue: /)
      expect(queue.getSnapshot().pending).toBe(0)
      const ok = queue.fetch(url('/ok'), { method: 'POST' })
      await flush()
      t.calls[0]!.respond()
      expect((await ok).status).toBe(200)
      expect(t.calls).toHaveLength(1)
    },
  )

  it('headers in each form fetch takes (object, pairs, Headers) reach the transport, checked once', async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    await queue.fetch(url('/o'), { headers: { 'X-A': ' 1 ', 'x-b': '2' } })
    await queue.fetch(url('/p'), {
      headers: [
        ['x-a', '1'],
        ['X-A', '3'],
      ],
    })
    await queue.fetch(url('/h'), { headers: new Headers({ 'x-a': '1' }) })
    expect(t.calls.map((c) => [...c.request.headers])).toEqual([
      [
        ['x-a', '1'],
        ['x-b', '2'],
      ],
      [['x-a', '1, 3']],
      [['x-a', '1']],
    ])
  })

  it('json sets the body and content-type; an app content-type wins', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST', json: { a: [1, 'b'] } })
    queue.fetch(url('/b'), {
      method: 'POST',
      json: null,
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    await flush()
    expect(t.calls[0]!.body).toBe('{"a":[1,"b"]}')
    expect(t.calls[0]!.request.headers.get('content-type')).toBe('application/json')
    t.calls[0]!.respond()
    await flush()
    expect(t.calls[1]!.body).toBe('null')
    expect(t.calls[1]!.request.headers.get('content-type')).toBe('application/merge-patch+json')
  })

  it('json adds its content type to headers of every form, and never to the caller’s own object', async () => {
    const seen: [string | null, string | null][] = []
    const { queue } = setup({
      // A transport that changes what it was given must not change what the next item sends.
      transport: (request) => {
        seen.push([request.headers.get('content-type'), request.headers.get('x-a')])
        request.headers.set('content-type', 'text/plain')
        return Promise.resolve(new Response(null))
      },
    })
    const own = new Headers({ 'x-a': '1' })
    await queue.fetch(url('/a'), { method: 'POST', json: 1 })
    await queue.fetch(url('/b'), { method: 'POST', json: 2 })
    await queue.fetch(url('/c'), { method: 'POST', json: 3, headers: [['x-a', '2']] })
    await queue.fetch(url('/d'), { method: 'POST', json: 4, headers: own })
    expect(seen).toEqual([
      ['application/json', null],
      ['application/json', null],
      ['application/json', '2'],
      ['application/json', '1'],
    ])
    expect([...own]).toEqual([['x-a', '1']])
  })

  it('a URL object and a Request both work as input, and the request fields reach the transport', async () => {
    const { queue, t } = setup()
    queue.fetch(new URL(url('/u')), { credentials: 'include', cache: 'no-store' })
    // Body and headers in separate Requests: in Node, msw's raw-header recording drops the
    // headers of a copied Request that also has a body (not something a browser does).
    queue.fetch(new Request(url('/r'), { method: 'POST', body: 'from-request' }))
    queue.fetch(new Request(url('/h'), { method: 'PUT', headers: { 'x-a': '1' } }))
    await flush()
    expect(t.calls[0]!.request).toMatchObject({
      url: url('/u'),
      credentials: 'include',
      cache: 'no-store',
    })
    t.calls[0]!.respond()
    await flush()
    expect(t.calls[1]!.body).toBe('from-request')
    t.calls[1]!.respond()
    await flush()
    expect(t.calls[2]!.request.headers.get('x-a')).toBe('1')
  })
})

describe('input: misbehaving transports', () => {
  it('a transport that throws synchronously is a connection failure; the lane goes on', async () => {
    const boom = new Error('sync boom')
    let n = 0
    const queue = track(
      createQueue({
        online: fakeOnline(),
        clock: fakeClock(),
        retry: { networkLimit: 0 },
        transport: () => {
          if (n++ === 0) throw boom
          return Promise.resolve(new Response('ok'))
        },
      }),
    )
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const b = queue.fetch(url('/b'), { method: 'POST' })
    expect(await (await b).text()).toBe('ok')
    expect(isNetworkError(a.reason)).toBe(true)
    expect((a.reason as Error).cause).toBe(boom)
  })

  it('a synchronous throw is retried like any connection failure', async () => {
    let n = 0
    const clock = fakeClock()
    const queue = track(
      createQueue({
        online: fakeOnline(),
        clock,
        transport: () => {
          if (n++ < 2) throw new TypeError('no network')
          return Promise.resolve(new Response('third time'))
        },
      }),
    )
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await clock.next()
    await clock.next()
    await flush()
    expect(n).toBe(3)
    expect(await (p.value as Response).text()).toBe('third time')
  })

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ok'],
    ['a plain object', { status: 200 }],
  ])(
    'a transport that resolves %s fails the item at once with NetworkError(TypeError); the lane goes on',
    async (_, value) => {
      const { queue, t } = setup()
      const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
      const b = queue.fetch(url('/b'), { method: 'POST' })
      await flush()
      t.calls[0]!.resolveWith(value)
      await flush()
      expect(isNetworkError(a.reason)).toBe(true)
      expect((a.reason as Error).cause).toBeInstanceOf(TypeError)
      expect(t.calls).toHaveLength(2)
      t.calls[1]!.respond()
      expect((await b).status).toBe(200)
    },
  )

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['string', 'ok'],
    ['number', 200],
  ])('the TypeError of a transport that resolves %s names what it got', async (type, value) => {
    const { queue, t } = setup()
    const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
    await flush()
    t.calls[0]!.resolveWith(value)
    await flush()
    expect((a.reason as Error).message).toMatch(/^Invalid transport response/)
    expect(((a.reason as Error).cause as Error).message).toBe(
      `The transport resolved to ${type}, not a Response`,
    )
  })

  it.each([
    ['lacks clone', { status: 200, headers: new Headers() }],
    ['lacks headers', { status: 503, clone: () => ({}) }],
    [
      'throws from its status getter',
      {
        get status(): number {
          throw new Error('broken status')
        },
        clone: () => ({}),
        headers: new Headers(),
      },
    ],
    [
      'throws from headers.get on a 503',
      {
        status: 503,
        clone: () => ({}),
        headers: {
          get() {
            throw new Error('broken headers')
          },
        },
      },
    ],
    [
      'throws from body.cancel on a 503',
      { status: 503, clone: () => ({}), headers: new Headers(), body: {} },
    ],
  ])(
    'a transport that resolves a Response look-alike that %s fails the item as an invalid response, not the lane',
    async (_, lookAlike) => {
      const { queue, t } = setup()
      const a = settle(queue.fetch(url('/a'), { method: 'POST' }))
      const b = queue.fetch(url('/b'), { method: 'POST' })
      await flush()
      t.calls[0]!.resolveWith(lookAlike)
      await flush()
      expect(a.status).toBe('rejected')
      expect(isNetworkError(a.reason)).toBe(true)
      expect((a.reason as Error).message).toMatch(/^Invalid transport response/)
      expect((a.reason as Error).cause).toBeInstanceOf(Error)
      expect(t.calls).toHaveLength(2)
      t.calls[1]!.respond()
      expect((await b).status).toBe(200)
    },
  )

  it('a Response whose clone() throws reaches every caller and the sent event as it is; the lane goes on', async () => {
    const { queue, t } = setup()
    const sent: unknown[] = []
    queue.on('sent', (e) => sent.push(e.response))
    queue.fetch(url('/block'), { method: 'POST' })
    const a = settle(queue.fetch(url('/a'), { method: 'PUT', dedupe: true }))
    const a2 = settle(queue.fetch(url('/a'), { method: 'PUT', dedupe: true }))
    const b = queue.fetch(url('/b'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond()
    await flush()
    const odd = Object.assign(new Response('no copies'), {
      clone(): Response {
        throw new TypeError('cannot clone')
      },
    })
    t.calls[1]!.respond(odd)
    await flush()
    expect([a.value, a2.value]).toEqual([odd, odd])
    expect(sent.at(-1)).toBe(odd)
    expect(t.calls).toHaveLength(3)
    t.calls[2]!.respond()
    expect((await b).status).toBe(200)
  })

  it('a transport that returns a Response whose body it already read does not stall the lane', async () => {
    const { queue, t } = setup()
    const sent: unknown[] = []
    queue.on('sent', (e) => sent.push(e))
    queue.fetch(url('/block'), { method: 'POST' })
    const a = settle(queue.fetch(url('/a'), { dedupe: true }))
    const a2 = settle(queue.fetch(url('/a'), { dedupe: true }))
    const b = queue.fetch(url('/b'), { method: 'POST' })
    await flush()
    t.calls[0]!.respond()
    await flush()
    const used = new Response('read already')
    await used.text()
    t.calls[1]!.respond(used)
    await flush()
    expect(a.status).not.toBe('pending')
    expect(a2.status).not.toBe('pending')
    expect(t.calls).toHaveLength(3)
    t.calls[2]!.respond()
    expect((await b).status).toBe(200)
  })

  it.each([
    ['a string', 'boom'],
    ['undefined', undefined],
    ['a number', 42],
  ])(
    'a transport that rejects with %s gives a NetworkError keeping it as cause, and is retried',
    async (_, value) => {
      const { queue, t, clock } = setup({ timeout: false })
      const p = queue.fetch(url('/a'), { method: 'POST' })
      const errors: unknown[] = []
      queue.on('retrying', (e) => errors.push(e.error))
      await flush()
      t.calls[0]!.fail(value)
      await clock.next()
      expect(isNetworkError(errors[0])).toBe(true)
      expect((errors[0] as Error).cause).toBe(value)
      t.calls[1]!.respond()
      expect((await p).status).toBe(200)
    },
  )
})

describe('input: beforeSend', () => {
  it('beforeSend adds short-lived credentials per attempt; they never stick to the item', async () => {
    let token = 0
    const { queue, t, clock } = setup({
      timeout: false,
      beforeSend(request) {
        request.headers.set('authorization', `Bearer ${++token}`)
      },
    })
    const headers = new Headers({ 'x-app': 'y' })
    const p = queue.fetch(url('/a'), { method: 'POST', headers })
    await flush()
    t.calls[0]!.fail()
    await clock.next()
    t.calls[1]!.respond()
    await p
    expect(t.calls.map((c) => c.request.headers.get('authorization'))).toEqual([
      'Bearer 1',
      'Bearer 2',
    ])
    expect(headers.has('authorization')).toBe(false)
  })

  it('beforeSend may return a new request, sync or async', async () => {
    const { queue, t } = setup({
      beforeSend: async (request) => ({ ...request, url: request.url.replace('/old', '/new') }),
    })
    queue.fetch(url('/old'))
    await flush()
    expect(t.calls[0]!.url).toBe(url('/new'))
  })

  it('beforeSend throwing is a connection failure: retried, then NetworkError with the cause', async () => {
    const boom = new Error('token refresh failed')
    let n = 0
    const { queue, t, clock } = setup({
      timeout: false,
      retry: { networkLimit: 1 },
      beforeSend: (request) => {
        if (!request.url.endsWith('/a')) return
        n++
        throw boom
      },
    })
    const p = settle(queue.fetch(url('/a'), { method: 'POST' }))
    const next = settle(queue.fetch(url('/b'), { method: 'POST' }))
    await flush()
    await clock.next()
    await flush()
    expect(n).toBe(2)
    expect(isNetworkError(p.reason)).toBe(true)
    expect((p.reason as Error).cause).toBe(boom)
    expect(t.labels()).toEqual(['POST /b'])
    t.calls[0]!.respond()
    await flush()
    expect(next.status).toBe('fulfilled')
  })
})

describe('input: what fetch refuses is refused at the call, never retried', () => {
  it('the TypeError for credentials in the URL does not repeat the password', async () => {
    const { queue } = setup()
    const error = await queue.fetch('https://user:hunter2@api.test/a').catch((e: Error) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).not.toContain('hunter2')
  })

  it('valid values of every enum field, and only-if-cached with same-origin, are accepted', async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    await queue.fetch(url('/a'), {
      mode: 'same-origin',
      credentials: 'include',
      cache: 'only-if-cached',
      redirect: 'manual',
      referrerPolicy: '',
      priority: 'low',
      referrer: '',
      window: null,
    })
    await queue.fetch(url('/b'), { mode: 'no-cors', method: 'POST', referrer: 'about:client' })
    expect(t.calls).toHaveLength(2)
    expect(t.calls[0]!.request).toMatchObject({ mode: 'same-origin', priority: 'low' })
  })

  it("a Request in mode 'navigate' (a service worker's navigation) is sent as same-origin", async () => {
    const { queue, t } = setup({}, { auto: () => 200 })
    const request = new Request(url('/page'))
    Object.defineProperty(request, 'mode', { value: 'navigate' })
    await queue.fetch(request)
    expect(t.calls[0]!.request.mode).toBe('same-origin')
  })
})
