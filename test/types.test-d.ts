import { describe, expectTypeOf, test } from 'vitest'
import {
  type Clock,
  createQueue,
  type FetchQueue,
  type HttpError,
  type ItemInfo,
  type ItemState,
  isHttpError,
  isNetworkError,
  isQueueClosedError,
  isQueueError,
  isSpoolError,
  isTimeoutError,
  type JsonValue,
  memorySpool,
  type NetworkError,
  type OnlineSource,
  type QueueClosedError,
  type QueueError,
  type QueueEvents,
  type QueueInit,
  type QueueOptions,
  type QueueRequest,
  type QueueSnapshot,
  type QueueStatus,
  type RetryPolicy,
  type SpoolError,
  type TimeoutError,
  type Transport,
  type TransportContext,
} from '../src/index.ts'

const queue = createQueue()

describe('createQueue', () => {
  test('options are optional and typed', () => {
    expectTypeOf(createQueue).parameter(0).toEqualTypeOf<QueueOptions | undefined>()
    expectTypeOf(createQueue).returns.toEqualTypeOf<FetchQueue>()
    createQueue({
      transport: (request, { signal, attempt, item }) => {
        expectTypeOf(request).toEqualTypeOf<QueueRequest>()
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
        expectTypeOf(attempt).toBeNumber()
        expectTypeOf(item).toEqualTypeOf<ItemInfo>()
        return fetch(request.url, request)
      },
      spool: memorySpool(),
      retry: {
        limit: 3,
        networkLimit: 10,
        baseDelay: 500,
        maxDelay: 10_000,
        maxRetryAfter: 60_000,
        statuses: [503],
      },
      timeout: false,
      maxParallelReads: 4,
      idempotency: 'always',
      onFailure: 'pause',
      beforeSend: (request) => {
        request.headers.set('authorization', 'Bearer x')
      },
    })
    createQueue({
      retry: 3,
      timeout: 10_000,
      idempotency: false,
      beforeSend: async (r) => ({ ...r }),
    })
  })

  test('invalid option values do not compile', () => {
    // @ts-expect-error: not a policy
    createQueue({ idempotency: 'sometimes' })
    // @ts-expect-error: 'continue' or 'pause'
    createQueue({ onFailure: 'stop' })
    // @ts-expect-error: milliseconds or false
    createQueue({ timeout: true })
    // @ts-expect-error: a transport returns a Promise<Response>
    createQueue({ transport: () => 'ok' })
  })

  test('the seams are plain interfaces', () => {
    expectTypeOf<Transport>().toEqualTypeOf<
      (request: QueueRequest, context: TransportContext) => Promise<Response>
    >()
    expectTypeOf<Clock['setTimeout']>().toEqualTypeOf<(fn: () => void, ms: number) => unknown>()
    expectTypeOf<OnlineSource['subscribe']>().toEqualTypeOf<
      (onChange: (online: boolean) => void) => () => void
    >()
    expectTypeOf<QueueRequest['url']>().toBeString()
    expectTypeOf<QueueRequest['headers']>().toEqualTypeOf<Headers>()
    expectTypeOf<RetryPolicy['statuses']>().toEqualTypeOf<number[] | undefined>()
  })
})

describe('queue.fetch', () => {
  test('has the signature of fetch', () => {
    expectTypeOf(queue.fetch).parameter(0).toEqualTypeOf<RequestInfo | URL>()
    expectTypeOf(queue.fetch).parameter(1).toEqualTypeOf<QueueInit | undefined>()
    expectTypeOf(queue.fetch).returns.toEqualTypeOf<Promise<Response>>()
    expectTypeOf<QueueInit>().toMatchTypeOf<RequestInit>()
  })

  test('init has the queue fields', () => {
    expectTypeOf<QueueInit['kind']>().toEqualTypeOf<'read' | 'write' | undefined>()
    expectTypeOf<QueueInit['dedupe']>().toEqualTypeOf<boolean | string | undefined>()
    expectTypeOf<QueueInit['json']>().toBeUnknown()
    expectTypeOf<QueueInit['meta']>().toEqualTypeOf<JsonValue | undefined>()
    expectTypeOf<QueueInit['persist']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<QueueInit['retry']>().toEqualTypeOf<number | RetryPolicy | undefined>()
    expectTypeOf<QueueInit['timeout']>().toEqualTypeOf<number | false | undefined>()
    expectTypeOf<QueueInit['idempotencyKey']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<QueueInit['throwHttpErrors']>().toEqualTypeOf<boolean | undefined>()
    queue.fetch('/stops', {
      method: 'POST',
      json: { stops: [1, 2] },
      dedupe: true,
      meta: { doc: 'a', n: [1, null] },
    })
    queue.fetch(new URL('https://api.test/x'), { signal: AbortSignal.timeout(1000), kind: 'read' })
  })

  test('invalid init fields do not compile', () => {
    // @ts-expect-error: 'read' or 'write'
    queue.fetch('/a', { kind: 'other' })
    // @ts-expect-error: meta must be JSON
    queue.fetch('/a', { meta: () => 1 })
    // @ts-expect-error: a string or a boolean
    queue.fetch('/a', { dedupe: 1 })
  })
})

describe('state and events', () => {
  test('subscribe and getSnapshot fit useSyncExternalStore', () => {
    expectTypeOf(queue.subscribe).toEqualTypeOf<(listener: () => void) => () => void>()
    expectTypeOf(queue.getSnapshot).toEqualTypeOf<() => QueueSnapshot>()
  })

  test('the snapshot is read-only and fully typed', () => {
    const snap = queue.getSnapshot()
    expectTypeOf(snap.items).toEqualTypeOf<readonly ItemInfo[]>()
    expectTypeOf(snap.status).toEqualTypeOf<QueueStatus>()
    expectTypeOf<QueueStatus>().toEqualTypeOf<'idle' | 'busy' | 'waiting' | 'paused'>()
    expectTypeOf<ItemState>().toEqualTypeOf<
      'queued' | 'sending' | 'retrying' | 'accepted' | 'failed'
    >()
    expectTypeOf(snap.pending).toBeNumber()
    expectTypeOf(snap.online).toBeBoolean()
    expectTypeOf(snap.paused).toBeBoolean()
    const item = snap.items[0]!
    expectTypeOf(item.meta).toEqualTypeOf<JsonValue | undefined>()
    expectTypeOf(item.nextAttemptAt).toEqualTypeOf<number | undefined>()
    expectTypeOf(item.error).toEqualTypeOf<Error | undefined>()
    expectTypeOf(item.kind).toEqualTypeOf<'read' | 'write'>()
    expectTypeOf(item.location).toEqualTypeOf<string | undefined>()
    // @ts-expect-error: read-only
    snap.pending = 1
    // @ts-expect-error: read-only
    item.state = 'failed'
  })

  test('on() is typed per event', () => {
    queue.on('sent', (e) => {
      expectTypeOf(e).toEqualTypeOf<{ item: ItemInfo; response: Response }>()
    })
    queue.on('failed', (e) => {
      expectTypeOf(e.error).toEqualTypeOf<QueueError | Error>()
      expectTypeOf(e.item.meta).toEqualTypeOf<JsonValue | undefined>()
    })
    queue.on('retrying', (e) => expectTypeOf(e.delay).toBeNumber())
    queue.on('superseded', (e) => expectTypeOf(e.by).toEqualTypeOf<ItemInfo>())
    queue.on('accepted', (e) => {
      expectTypeOf(e).toEqualTypeOf<{ item: ItemInfo; location: string }>()
    })
    queue.on('restored', (e) => expectTypeOf(e.items).toEqualTypeOf<ItemInfo[]>())
    queue.on('expired', (e) => expectTypeOf(e.item).toEqualTypeOf<ItemInfo>())
    queue.on('spoolerror', (e) => {
      expectTypeOf(e.error).toEqualTypeOf<SpoolError>()
      expectTypeOf(e.item).toEqualTypeOf<ItemInfo | undefined>()
    })
    expectTypeOf(queue.on('sent', () => {})).toEqualTypeOf<() => void>()
    expectTypeOf<keyof QueueEvents>().toEqualTypeOf<
      | 'sent'
      | 'failed'
      | 'retrying'
      | 'superseded'
      | 'accepted'
      | 'restored'
      | 'expired'
      | 'spoolerror'
      | 'progress'
    >()
    queue.on('progress', (e) => {
      expectTypeOf(e.direction).toEqualTypeOf<'upload' | 'download'>()
      expectTypeOf(e.loaded).toBeNumber()
      expectTypeOf(e.total).toEqualTypeOf<number | undefined>()
    })
    // @ts-expect-error: no such event
    queue.on('done', () => {})
    // @ts-expect-error: sent has no `error`
    queue.on('sent', (e) => e.error)
  })

  test('the control methods', () => {
    expectTypeOf(queue.pause).toEqualTypeOf<(lane?: string) => void>()
    expectTypeOf(queue.resume).toEqualTypeOf<(lane?: string) => void>()
    expectTypeOf(queue.retry).toEqualTypeOf<(id?: string) => void>()
    expectTypeOf(queue.discard).toEqualTypeOf<(id: string) => boolean>()
    expectTypeOf(queue.clear).toEqualTypeOf<() => Promise<void>>()
    expectTypeOf(queue.whenIdle).toEqualTypeOf<() => Promise<void>>()
    expectTypeOf(queue.ready).toEqualTypeOf<Promise<void>>()
    expectTypeOf(queue.dispose).toEqualTypeOf<() => void>()
  })
})

describe('errors', () => {
  test('classes have literal names and a common base', () => {
    expectTypeOf<HttpError['name']>().toEqualTypeOf<'HttpError'>()
    expectTypeOf<NetworkError['name']>().toEqualTypeOf<'NetworkError'>()
    expectTypeOf<TimeoutError['name']>().toEqualTypeOf<'TimeoutError'>()
    expectTypeOf<QueueClosedError['name']>().toEqualTypeOf<'QueueClosedError'>()
    expectTypeOf<SpoolError['name']>().toEqualTypeOf<'SpoolError'>()
    expectTypeOf<HttpError>().toMatchTypeOf<QueueError>()
    expectTypeOf<HttpError['response']>().toEqualTypeOf<Response>()
    expectTypeOf<HttpError['request']>().toEqualTypeOf<QueueRequest>()
  })

  test('guards narrow unknown', () => {
    const e: unknown = undefined
    if (isHttpError(e)) {
      expectTypeOf(e).toEqualTypeOf<HttpError>()
      expectTypeOf(e.response.status).toBeNumber()
    }
    if (isNetworkError(e)) expectTypeOf(e).toEqualTypeOf<NetworkError>()
    if (isTimeoutError(e)) expectTypeOf(e).toEqualTypeOf<TimeoutError>()
    if (isQueueClosedError(e)) expectTypeOf(e).toEqualTypeOf<QueueClosedError>()
    if (isSpoolError(e)) expectTypeOf(e.code).toEqualTypeOf<SpoolError['code']>()
    if (isQueueError(e)) expectTypeOf(e).toEqualTypeOf<QueueError>()
  })
})
