export type { WatchInit, WatchOptions } from './options.ts'
export type { SseEvent } from './sse.ts'
export type { WatchSnapshot, WatchStatus } from './store.ts'
export { type Watch, watch } from './watch.ts'
