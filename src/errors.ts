import type { QueueRequest } from './types.ts'

/** Base class of every error the queue creates. Check with `isQueueError`, which also works across realms. */
export class QueueError extends Error {
  override name: string = 'QueueError'
}

/** The server answered with a status the queue does not count as delivered. */
export class HttpError extends QueueError {
  override name = 'HttpError' as const
  constructor(
    readonly response: Response,
    readonly request: QueueRequest,
    /** Why, when the status alone does not say it. */
    reason?: string,
  ) {
    super(
      `${request.method} ${request.url} failed with status ${response.status}${reason ? `: ${reason}` : ''}`,
    )
  }
}

/** The request never got an answer: the transport rejected, or returned a network-error response. */
export class NetworkError extends QueueError {
  override name = 'NetworkError' as const
  constructor(
    readonly request: QueueRequest | undefined,
    cause: unknown,
    message = 'Network request failed',
  ) {
    super(`${message}${request ? `: ${request.method} ${request.url}` : ''}`, { cause })
  }
}

/**
 * One attempt took longer than `timeout`. Its `cause` is the reason the attempt's signal was
 * aborted with: a `DOMException` named `TimeoutError`, as `AbortSignal.timeout()` gives.
 */
export class TimeoutError extends QueueError {
  override name = 'TimeoutError' as const
  constructor(
    readonly request: QueueRequest | undefined,
    ms: number,
    cause?: unknown,
  ) {
    super(
      `Attempt timed out after ${ms} ms${request ? `: ${request.method} ${request.url}` : ''}`,
      {
        cause,
      },
    )
  }
}

/** The queue was disposed before the item settled. */
export class QueueClosedError extends QueueError {
  override name = 'QueueClosedError' as const
  constructor() {
    super('The queue was disposed')
  }
}

/**
 * Why the spool could not store or load something. The write itself is not lost: it is sent
 * from memory (`durable: false`), or, for a stored record that fails validation, set aside.
 */
export type SpoolErrorCode =
  | 'quota' // storage is full
  | 'unavailable' // no storage, or it throws on access (private mode, some WebViews)
  | 'too-large' // the record is over `maxItemBytes`
  | 'unstorable' // a Blob, FormData or stream body
  | 'invalid' // a stored record failed validation
  | 'version' // a stored record of an unknown format version
  | 'origin' // a stored record whose URL is not an allowed origin
  | 'failed' // anything else the spool reported

export class SpoolError extends QueueError {
  override name = 'SpoolError' as const
  constructor(
    readonly code: SpoolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

// `instanceof` for subclasses an app derives; `name` for other realms and duplicated bundles.
// Each guard is made by a call, which a bundler keeps unless told it is pure: an app bundles only
// the guards it imports.
const guard =
  <T>(type: abstract new (...args: never[]) => T, ...names: string[]) =>
  (error: unknown): error is T =>
    error instanceof type ||
    (typeof error === 'object' && error !== null && names.includes((error as Error).name))

/** Whether `error` is an `HttpError`, also one from another realm or a duplicated bundle (checks `name`). */
export const isHttpError = /* @__PURE__ */ guard(HttpError, 'HttpError')
/** Whether `error` is a `NetworkError`, across realms. */
export const isNetworkError = /* @__PURE__ */ guard(NetworkError, 'NetworkError')
/** Whether `error` is a `TimeoutError`, across realms. */
export const isTimeoutError = /* @__PURE__ */ guard(TimeoutError, 'TimeoutError')
/** Whether `error` is a `QueueClosedError`, across realms. */
export const isQueueClosedError = /* @__PURE__ */ guard(QueueClosedError, 'QueueClosedError')
/** Whether `error` is a `SpoolError`, across realms. */
export const isSpoolError = /* @__PURE__ */ guard(SpoolError, 'SpoolError')
/**
 * Whether `error` is any error the queue made (`QueueError` or a subclass), across realms.
 *
 * @example
 * queue.on('failed', ({ error }) => {
 *   if (isHttpError(error) && error.response.status === 409) showConflict()
 *   else if (!isQueueError(error)) reportBug(error) // thrown by your own code, e.g. beforeSend
 * })
 */
export const isQueueError = /* @__PURE__ */ guard(
  QueueError,
  'QueueError',
  'HttpError',
  'NetworkError',
  'TimeoutError',
  'QueueClosedError',
  'SpoolError',
  'JobError',
)
