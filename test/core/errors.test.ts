import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  HttpError,
  isHttpError,
  isNetworkError,
  isQueueClosedError,
  isQueueError,
  isSpoolError,
  isTimeoutError,
  NetworkError,
  QueueClosedError,
  QueueError,
  type QueueRequest,
  SpoolError,
  TimeoutError,
} from '../../src/index.ts'

const request = {
  url: 'https://api.test/a',
  method: 'POST',
  headers: new Headers(),
  signal: new AbortController().signal,
} as QueueRequest

const samples = () => ({
  HttpError: new HttpError(new Response('x', { status: 418 }), request),
  NetworkError: new NetworkError(request, new TypeError('Failed to fetch')),
  TimeoutError: new TimeoutError(request, 100),
  QueueClosedError: new QueueClosedError(),
  SpoolError: new SpoolError('quota', 'full', { cause: new Error('QuotaExceededError') }),
})

const guards = {
  HttpError: isHttpError,
  NetworkError: isNetworkError,
  TimeoutError: isTimeoutError,
  QueueClosedError: isQueueClosedError,
  SpoolError: isSpoolError,
}

describe('1 errors', () => {
  it('1 every error is a class with a literal name and the common base QueueError', () => {
    for (const [name, error] of Object.entries(samples())) {
      expect(error.name).toBe(name)
      expect(error).toBeInstanceOf(QueueError)
      expect(error).toBeInstanceOf(Error)
      expect(String(error)).toContain(name)
      expect(error.stack).toBeTypeOf('string')
    }
  })

  it('1 HttpError carries the response and the request; the message names them', async () => {
    const e = samples().HttpError
    expect(e.response.status).toBe(418)
    expect(await e.response.text()).toBe('x')
    expect(e.request).toBe(request)
    expect(e.message).toContain('418')
    expect(e.message).toContain('POST https://api.test/a')
  })

  it('1 NetworkError keeps its cause; SpoolError keeps its cause and code', () => {
    const { NetworkError: n, SpoolError: s } = samples()
    expect(n.cause).toBeInstanceOf(TypeError)
    expect(n.request).toBe(request)
    expect(s.code).toBe('quota')
    expect((s.cause as Error).message).toBe('QuotaExceededError')
  })

  it('1 TimeoutError says how long the attempt ran', () => {
    expect(samples().TimeoutError.message).toContain('100 ms')
  })

  it('1 each guard recognises its own error and no other', () => {
    const all = samples()
    for (const [name, guard] of Object.entries(guards)) {
      for (const [other, error] of Object.entries(all)) expect(guard(error)).toBe(name === other)
    }
  })

  it('1 isQueueError recognises every queue error and nothing else', () => {
    for (const error of Object.values(samples())) expect(isQueueError(error)).toBe(true)
    expect(isQueueError(new QueueError('x'))).toBe(true)
    for (const v of [new Error('x'), new TypeError('x'), null, undefined, 'HttpError', 42, {}])
      expect(isQueueError(v)).toBe(false)
  })

  it('1 guards work across realms: an error made in another context', () => {
    const foreign = runInNewContext(`
      class QueueError extends Error { name = 'QueueError' }
      class HttpError extends QueueError { name = 'HttpError' }
      class TimeoutError extends QueueError { name = 'TimeoutError' }
      ;[new HttpError('x'), new TimeoutError('y')]
    `) as Error[]
    expect(foreign[0]).not.toBeInstanceOf(Error)
    expect(isHttpError(foreign[0])).toBe(true)
    expect(isQueueError(foreign[0])).toBe(true)
    expect(isTimeoutError(foreign[1])).toBe(true)
    expect(isHttpError(foreign[1])).toBe(false)
  })

  it('1 guards work across duplicated bundles: a plain object with the name', () => {
    expect(isNetworkError({ name: 'NetworkError', message: 'x' })).toBe(true)
    expect(isSpoolError({ name: 'SpoolError', code: 'quota' })).toBe(true)
    expect(isQueueClosedError({ name: 'QueueClosedError' })).toBe(true)
    expect(isHttpError({ name: 'TypeError' })).toBe(false)
  })

  it('1 guards accept subclasses an app derives, whatever their name', () => {
    class AuthError extends HttpError {
      override name = 'AuthError' as 'HttpError'
    }
    const e = new AuthError(new Response(null, { status: 401 }), request)
    expect(e.name).toBe('AuthError')
    expect(isHttpError(e)).toBe(true)
    expect(isQueueError(e)).toBe(true)
  })

  it('1 guards never throw on odd input', () => {
    expect(isQueueError(Object.create(null))).toBe(false)
    expect(isHttpError(() => {})).toBe(false)
  })
})
