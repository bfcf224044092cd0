import { QueueError } from '../errors.ts'

/**
 * Why a followed job failed without an answer from its status URL: `'max-wait'`, it had not ended
 * `maxWait` after its `202 Accepted`; `'status-url'`, the status URL was not one the queue polls
 * (not http or https, not a URL, or an origin it may not send to). A status URL that answers with
 * a 4xx fails the job with an `HttpError` instead.
 */
export type JobErrorCode = 'max-wait' | 'status-url'

/** A followed job failed: see `code`. `location` is the status URL as the server sent it. */
export class JobError extends QueueError {
  override name = 'JobError' as const
  constructor(
    readonly code: JobErrorCode,
    readonly location: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Whether `error` is a `JobError`, also one from another realm or a duplicated bundle (checks `name`). */
export const isJobError = (error: unknown): error is JobError =>
  error instanceof JobError ||
  (typeof error === 'object' && error !== null && (error as Error).name === 'JobError')
