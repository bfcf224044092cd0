import { describe, expectTypeOf, test } from 'vitest'
import { createQueue } from '../../src/index.ts'
import {
  type SseEvent,
  type Watch,
  type WatchInit,
  type WatchOptions,
  type WatchSnapshot,
  type WatchStatus,
  watch,
} from '../../src/watch/index.ts'

const queue = createQueue()

describe('fetch-queue/watch', () => {
  test('watch() returns a typed store', () => {
    const w = watch<{ rev: number }>(queue, '/stats')
    expectTypeOf(w).toEqualTypeOf<Watch<{ rev: number }>>()
    expectTypeOf(w.getSnapshot()).toEqualTypeOf<WatchSnapshot<{ rev: number }>>()
    expectTypeOf(w.getSnapshot().data).toEqualTypeOf<{ rev: number } | undefined>()
    expectTypeOf(w.getSnapshot().error).toEqualTypeOf<Error | undefined>()
    expectTypeOf(w.getSnapshot().status).toEqualTypeOf<WatchStatus>()
    expectTypeOf(w.getSnapshot().updatedAt).toEqualTypeOf<number | undefined>()
    expectTypeOf(w.subscribe).returns.toEqualTypeOf<() => void>()
    expectTypeOf<WatchStatus>().toEqualTypeOf<
      'connecting' | 'live' | 'retrying' | 'paused' | 'closed'
    >()
  })

  test('the async iterator yields data', async () => {
    for await (const data of watch<number>(queue, '/n')) expectTypeOf(data).toEqualTypeOf<number>()
  })

  test('reduce sees the previous data and the event; parse gives the data type', () => {
    watch(queue, '/room', {
      reduce: (messages: string[] | undefined, event) => {
        expectTypeOf(event).toEqualTypeOf<SseEvent>()
        return [...(messages ?? []), event.data]
      },
    })
    const text = watch(queue, '/text', { parse: (body) => body.length })
    expectTypeOf(text.getSnapshot().data).toEqualTypeOf<number | undefined>()
    watch(queue, new URL('https://api.example.com/stats'), {
      interval: 250,
      lane: 'stats',
      whenHidden: 'continue',
      compare: 'text',
      init: { headers: { accept: 'application/json' }, credentials: 'include', timeout: 5000 },
      isVisible: () => true,
    })
  })

  test('options the watch controls cannot be passed in init', () => {
    // @ts-expect-error the watch sets its own dedupe key
    watch(queue, '/s', { init: { dedupe: true } })
    // @ts-expect-error the watch does its own retrying
    watch(queue, '/s', { init: { retry: 3 } })
    // @ts-expect-error the watch owns the signal (close() aborts)
    watch(queue, '/s', { init: { signal: new AbortController().signal } })
    // @ts-expect-error
    watch(queue, '/s', { whenHidden: 'stop' })
    expectTypeOf<WatchOptions['init']>().toEqualTypeOf<WatchInit | undefined>()
  })
})
