/**
 * `fetch-queue/testing`: what a test of code that uses the queue needs, without stubbing a
 * global. Each piece goes into one of the queue's seams: `transport`, `online`, `clock`, and the
 * `storage` and `locks` of `localStorageSpool`.
 *
 * @module fetch-queue/testing
 */

export type {
  CallMatch,
  Reply,
  TestCall,
  TestTransport,
  TestTransportOptions,
} from './calls.ts'
export { fakeTimersClock, type ManualClock, manualClock } from './clock.ts'
export { flush } from './flush.ts'
export { type MemoryLocks, memoryLocks } from './locks.ts'
export { type ManualOnline, manualOnline } from './online.ts'
export {
  type MemoryStorage,
  type MemoryStorageOptions,
  memoryStorage,
  throwingStorage,
} from './storage.ts'
export { testTransport } from './transport.ts'
