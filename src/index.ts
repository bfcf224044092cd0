/**
 * `fetch-queue`: an ordered request queue for `fetch`. Writes go one at a time, in order; reads
 * run side by side between them; a newer request replaces a pending one (dedupe); failures are
 * retried at their place with idempotency keys; and a spool keeps pending writes across reloads.
 *
 * @module fetch-queue
 */
export type { FetchQueue } from './api.ts'
export type { AsFetchOptions, FetchCall, FetchOptions } from './as-fetch.ts'
export type { LockManagerLike } from './env/locks.ts'
export {
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
  SpoolError,
  type SpoolErrorCode,
  TimeoutError,
} from './errors.ts'
export type { QueueEvents } from './events.ts'
export type { QueueFields, QueueInit, QueueOptions } from './options.ts'
export { createQueue } from './queue.ts'
export { defineSpool } from './spool/define.ts'
export {
  type LocalStorageSpoolOptions,
  localStorageSpool,
  type StorageLike,
} from './spool/local-storage.ts'
export { memorySpool } from './spool/memory.ts'
export type { SpoolRecord, StoredBody, StoredJob } from './spool/record.ts'
export type { DefinedSpool, Spool, SpoolLoad } from './spool/types.ts'
export type {
  Clock,
  ItemInfo,
  ItemState,
  JsonValue,
  Kind,
  OnlineSource,
  QueueRequest,
  QueueSnapshot,
  QueueStatus,
  RetryPolicy,
  TransferProgress,
  Transport,
  TransportContext,
} from './types.ts'
