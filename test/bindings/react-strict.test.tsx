// Runs twice: in the `bindings` project against React 19, and in `bindings-react-18`.
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode, useEffect, useState, version } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { isQueueClosedError } from '../../src/errors.ts'
import { createQueue, type FetchQueue } from '../../src/index.ts'
import { useQueueSnapshot } from '../../src/react.ts'
import { localStorageSpool } from '../../src/spool/local-storage.ts'
import { lockHub } from '../spool/support/locks.ts'
import { fakeStorage } from '../spool/support/storage.ts'
import { fakeClock } from '../support/clock.ts'
import { fakeOnline } from '../support/online.ts'
import { API, settle, url } from '../support/queue.ts'
import { flush, until } from '../support/tick.ts'
import { controlledTransport } from '../support/transport.ts'

afterEach(() => cleanup())

const KEY = 'chat:u1:room1'
// The page (happy-dom) is on another origin than the test API.
const allowedOrigins = [API]

describe(`§4 fetch-queue/react under StrictMode (React ${version})`, () => {
  it('§4 StrictMode: a queue owned by an effect sends each stored write once, and frees its lock and listeners on unmount', async () => {
    const storage = fakeStorage()
    const hub = lockHub()
    const clock = fakeClock()
    const t = controlledTransport()

    // The previous page stored a write it never sent, and closed.
    const oldTab = hub.tab()
    const old = createQueue({
      spool: localStorageSpool({ key: KEY, storage, locks: oldTab, allowedOrigins }),
      transport: t.transport,
      clock,
    })
    old.pause()
    old.fetch(url('/messages'), { method: 'POST', body: 'hello' }).catch(() => {})
    await old.ready
    await flush()
    old.dispose()
    oldTab.close()
    expect(storage.data.size).toBe(1)

    // The pattern the README shows: the effect creates the queue and its cleanup disposes it.
    const tab = hub.tab()
    const online = fakeOnline()
    const made: FetchQueue[] = []
    const open = () => {
      const queue = createQueue({
        spool: localStorageSpool({ key: KEY, storage, locks: tab, allowedOrigins }),
        online,
        transport: t.transport,
        clock,
      })
      made.push(queue)
      return queue
    }
    function useChatQueue() {
      const [queue, setQueue] = useState<FetchQueue>()
      useEffect(() => {
        const q = open()
        setQueue(q)
        return () => q.dispose()
      }, [])
      return queue
    }
    function Chat() {
      const queue = useChatQueue()
      return <p>{useQueueSnapshot(queue, (s) => `${s.pending} pending`)}</p>
    }

    const view = render(
      <StrictMode>
        <Chat />
      </StrictMode>,
    )
    await act(() => until(() => t.calls.length > 0, 'the stored write to go out'))
    await act(() => flush())
    // StrictMode ran the effect, its cleanup, and the effect again: two queues, the first closed.
    expect(made).toHaveLength(2)
    const closed = settle(made[0]!.fetch(url('/late'), { method: 'POST' }))
    await flush()
    expect(closed.status).toBe('rejected')
    expect(isQueueClosedError(closed.reason)).toBe(true)
    // The live queue adopted the closed page's partition and sent its write, once.
    expect(t.calls.map((c) => c.body)).toEqual(['hello'])
    expect(screen.getByText('1 pending')).toBeTruthy()
    expect(online.listeners).toBe(1)
    await act(async () => {
      t.calls[0]!.respond(200)
      await flush()
    })
    expect(screen.getByText('0 pending')).toBeTruthy()
    expect(storage.data.size).toBe(0)

    view.unmount()
    expect(online.listeners).toBe(0)
    await flush()
    expect(tab.held()).toEqual([])
    expect(t.calls).toHaveLength(1)
  })
  // What the README warns against, kept as a test so the warning cannot go stale.
  it('§4 StrictMode: a queue made in a useState initializer is made twice, one leaks and the other is disposed while in use', async () => {
    const made: FetchQueue[] = []
    const online = fakeOnline()
    let used: FetchQueue | undefined
    function Chat() {
      const [queue] = useState(() => {
        const q = createQueue({ online })
        made.push(q)
        return q
      })
      useEffect(() => () => queue.dispose(), [queue])
      used = queue
      return null
    }
    render(
      <StrictMode>
        <Chat />
      </StrictMode>,
    )
    await act(() => flush())
    expect(made).toHaveLength(2)
    expect(online.listeners).toBe(1) // the queue React threw away, never disposed
    const sent = settle(used!.fetch(url('/messages'), { method: 'POST' }))
    await flush()
    expect(isQueueClosedError(sent.reason)).toBe(true)
    cleanup()
    for (const q of made) q.dispose()
  })
})
