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
export type { SpoolRecord, StoredBody } from './spool/record.ts'
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
  Transport,
  TransportContext,
} from './types.ts'
