// Runs twice: in the `bindings` project against React 19, and in `bindings-react-18`.
import { act, cleanup } from '@testing-library/react'
import { version } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createQueue, type FetchQueue } from '../../src/index.ts'
import { useQueueItem, useQueueSnapshot, useWatch } from '../../src/react.ts'
import { localStorageSpool } from '../../src/spool/local-storage.ts'
import { memorySpool } from '../../src/spool/memory.ts'
import type { QueueSnapshot } from '../../src/types.ts'
import { fakeStorage } from '../spool/support/storage.ts'
import { fakeOnline } from '../support/online.ts'
import { url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import { controlledTransport } from '../support/transport.ts'
import { restoring, testWatch } from './support.ts'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const label = (s: QueueSnapshot) => `${restoring(s) ? 'restoring' : s.status}, ${s.pending} pending`

function Status({ queue }: { queue: FetchQueue | undefined }) {
  return <p id="status">{useQueueSnapshot(queue, label)}</p>
}

describe(`§4 fetch-queue/react on the server (React ${version})`, () => {
  it('§4 SSR: the server render reads a frozen restoring snapshot, and neither the queue nor its storage', () => {
    const storage = fakeStorage()
    const read = [vi.spyOn(storage, 'getItem'), vi.spyOn(storage, 'key')]
    const queue = createQueue({
      spool: localStorageSpool({ key: 'chat:u1', storage, locks: null }),
      online: fakeOnline(),
      transport: controlledTransport().transport,
    })
    queue.fetch(url('/messages'), { method: 'POST', body: 'hi' }).catch(() => {})
    const calls = [vi.spyOn(queue, 'getSnapshot'), vi.spyOn(queue, 'subscribe')]
    const seen: QueueSnapshot[] = []
    function Probe() {
      useQueueSnapshot(queue, (s) => seen.push(s))
      const { item } = useQueueItem(queue, 'x')
      const watched = useWatch(testWatch({ status: 'live', data: 1 }))
      return <i>{`${item === undefined} ${watched.status} ${String(watched.data)}`}</i>
    }
    const html = renderToString(
      <>
        <Status queue={queue} />
        <Probe />
      </>,
    )
    expect(html).toContain('restoring, 0 pending')
    // A watch renders "connecting" with no data on the server, whatever it holds.
    expect(html).toContain('true connecting undefined')
    for (const spy of [...calls, ...read]) expect(spy).not.toHaveBeenCalled()
    expect(seen.length).toBeGreaterThan(0)
    for (const s of seen) {
      expect(Object.isFrozen(s)).toBe(true)
      expect(s.items).toEqual([])
      expect(restoring(s)).toBe(true)
      expect(s.status).not.toBe('idle')
    }
    queue.dispose()
  })

  it('§4 SSR: hydrating the server HTML agrees with it, then shows what the browser restored', async () => {
    const transport = controlledTransport()
    const spool = memorySpool()
    // The previous visit left a write in the spool, unsent.
    const before = createQueue({ spool, online: fakeOnline(), transport: transport.transport })
    before.pause()
    before.fetch(url('/messages'), { method: 'POST', body: 'hi' }).catch(() => {})
    await before.ready
    before.dispose()
    expect(spool.size).toBe(1)

    const server = createQueue({ online: fakeOnline(), transport: transport.transport })
    const html = renderToString(<Status queue={server} />)
    server.dispose()

    const queue = createQueue({ spool, online: fakeOnline(false), transport: transport.transport })
    await queue.ready
    expect(queue.getSnapshot().pending).toBe(1)
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const recoverable: unknown[] = []
    await act(async () => {
      hydrateRoot(container, <Status queue={queue} />, {
        onRecoverableError: (error) => recoverable.push(error),
      })
      await flush()
    })
    expect(recoverable).toEqual([])
    expect(errors.mock.calls.flat().join('\n')).not.toMatch(/hydrat|did not match/i)
    expect(container.textContent).toBe('waiting, 1 pending')
    queue.dispose()
    container.remove()
  })
})
