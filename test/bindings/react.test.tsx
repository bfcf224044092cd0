// Runs twice: in the `bindings` project against React 19, and in `bindings-react-18`.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { StrictMode, version } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { shallowEqual, useQueueItem, useQueueSnapshot, useWatch } from '../../src/react.ts'
import type { QueueSnapshot } from '../../src/types.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import { counted, restoring, testWatch } from './support.ts'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

/** Lets the queue's batched notification (a microtask) reach React, inside act(). */
const settle = () => act(() => flush())

describe(`§4 fetch-queue/react on React ${version}`, () => {
  it('runs against the React version its project names', ({ task }) => {
    const major = task.file.projectName === 'bindings-react-18' ? '18' : '19'
    expect(version.split('.')[0]).toBe(major)
  })

  it('§4 useQueueSnapshot renders the snapshot and follows its changes', async () => {
    const { queue, t } = setup()
    function Status() {
      const s = useQueueSnapshot(queue)
      return (
        <p>
          {s.status}: {s.pending}
        </p>
      )
    }
    render(<Status />)
    expect(screen.getByText('idle: 0')).toBeTruthy()
    queue.fetch(url('/messages'), { method: 'POST', body: 'hi' })
    await settle()
    expect(screen.getByText('busy: 1')).toBeTruthy()
    await act(async () => {
      t.calls[0]!.respond(200)
      await flush()
    })
    expect(screen.getByText('idle: 0')).toBeTruthy()
  })

  it('§4 a selector re-renders the component only when its slice changes', async () => {
    const { queue, t } = setup()
    let renders = 0
    function Pending() {
      renders++
      return <p>{useQueueSnapshot(queue, (s) => s.pending)} pending</p>
    }
    render(<Pending />)
    const before = renders
    // `paused` and `status` change; `pending` does not.
    await act(async () => {
      queue.pause()
      await flush()
      queue.resume()
      await flush()
    })
    expect(renders).toBe(before)
    queue.fetch(url('/messages'), { method: 'POST' })
    await settle()
    expect(screen.getByText('1 pending')).toBeTruthy()
    expect(renders).toBe(before + 1)
    await act(async () => {
      t.calls[0]!.respond(200)
      await flush()
    })
    expect(screen.getByText('0 pending')).toBeTruthy()
  })

  it('§4 a selector that builds a fresh array neither loops nor re-renders when shallowEqual holds', async () => {
    const { queue } = setup()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    let plain = 0
    let shallow = 0
    function Ids() {
      plain++
      const ids = useQueueSnapshot(queue, (s) => s.items.map((i) => i.id))
      return <p>plain {ids.length}</p>
    }
    function ShallowIds() {
      shallow++
      const ids = useQueueSnapshot(queue, (s) => s.items.map((i) => i.id), shallowEqual)
      return <p>shallow {ids.length}</p>
    }
    render(
      <>
        <Ids />
        <ShallowIds />
      </>,
    )
    queue.fetch(url('/messages'), { method: 'POST' })
    await settle()
    expect(screen.getByText('plain 1')).toBeTruthy()
    expect(screen.getByText('shallow 1')).toBeTruthy()
    const [p, s] = [plain, shallow]
    await act(async () => {
      queue.pause()
      await flush()
    })
    // Object.is sees a new array: one more render, and no more than one.
    expect(plain).toBe(p + 1)
    expect(shallow).toBe(s)
    // React reports a getSnapshot that is not cached ("should be cached", "infinite loop").
    expect(errors.mock.calls.flat().join('\n')).not.toMatch(/cached|infinite|Maximum update/i)
  })

  it('§4 useQueueItem re-renders a row only when its own item changes', async () => {
    const { queue, t } = setup({ onFailure: 'pause', retry: 0 })
    queue.fetch(url('/messages/1'), { method: 'POST' }).catch(() => {})
    queue.fetch(url('/messages/2'), { method: 'POST' }).catch(() => {})
    const [a, b] = queue.getSnapshot().items.map((i) => i.id)
    const renders: Record<string, number> = {}
    function Row({ id }: { id: string }) {
      renders[id] = (renders[id] ?? 0) + 1
      const { item } = useQueueItem(queue, id)
      return <p>{`${item?.url.slice(-1) ?? '?'}: ${item?.state ?? 'gone'}`}</p>
    }
    render(
      <>
        <Row id={a!} />
        <Row id={b!} />
      </>,
    )
    expect(screen.getByText('1: sending')).toBeTruthy()
    expect(screen.getByText('2: queued')).toBeTruthy()
    const rb = renders[b!]
    await act(async () => {
      t.calls[0]!.respond(400)
      await flush()
    })
    expect(screen.getByText('1: failed')).toBeTruthy()
    expect(renders[b!]).toBe(rb)
  })

  it('§4 a new selector (another id) reads its slice at once, without waiting for a change', () => {
    const { queue } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    queue.fetch(url('/b'), { method: 'POST' })
    const [a, b] = queue.getSnapshot().items.map((i) => i.id)
    function Row({ id }: { id: string }) {
      return <p>{useQueueItem(queue, id).item?.url.slice(-1)}</p>
    }
    const view = render(<Row id={a!} />)
    expect(view.container.textContent).toBe('a')
    view.rerender(<Row id={b!} />)
    expect(view.container.textContent).toBe('b')
  })

  it('§4 useQueueItem compares the item field by field, so a store that rebuilds every ItemInfo re-renders no row', async () => {
    const { queue, t } = setup()
    queue.fetch(url('/a'), { method: 'POST' })
    queue.fetch(url('/b'), { method: 'POST' })
    const ids = queue.getSnapshot().items.map((i) => i.id)
    // Copies every item on every read, as a store built on another library might.
    let last: QueueSnapshot | undefined
    let copy: QueueSnapshot | undefined
    const rebuilding = {
      subscribe: queue.subscribe,
      getSnapshot() {
        const s = queue.getSnapshot()
        if (s !== last) {
          last = s
          copy = { ...s, items: s.items.map((i) => ({ ...i })) }
        }
        return copy!
      },
      retry: queue.retry,
      discard: queue.discard,
    }
    let renders = 0
    function Row({ id }: { id: string }) {
      renders++
      return <p>{useQueueItem(rebuilding, id).item?.state ?? 'gone'}</p>
    }
    render(<Row id={ids[1]!} />)
    const before = renders
    await act(async () => {
      queue.pause()
      await flush()
    })
    expect(renders).toBe(before)
    await act(async () => {
      queue.resume()
      t.calls[0]!.respond(200)
      await flush()
    })
    expect(screen.getByText('sending')).toBeTruthy()
  })

  it('§4 useQueueItem: retry() sends a failed item again, discard() gives it up', async () => {
    const { queue, t } = setup({ onFailure: 'pause', retry: 0 })
    const first = queue.fetch(url('/messages/1'), { method: 'POST' })
    const second = queue.fetch(url('/messages/2'), { method: 'POST' })
    const outcomes: string[] = []
    first.then(
      () => outcomes.push('1 sent'),
      () => outcomes.push('1 rejected'),
    )
    second.then(
      () => outcomes.push('2 sent'),
      (e) => outcomes.push(`2 rejected: ${e.name} ${e.response.status}`),
    )
    const ids = queue.getSnapshot().items.map((i) => i.id)
    function Row({ id }: { id: string }) {
      const { item, retry, discard } = useQueueItem(queue, id)
      if (!item) return <p>{id}: gone</p>
      return (
        <p>
          {id}: {item.state}
          <button type="button" onClick={retry}>
            Retry {id}
          </button>
          <button type="button" onClick={() => discard()}>
            Give up {id}
          </button>
        </p>
      )
    }
    render(
      <div>
        {ids.map((id) => (
          <Row key={id} id={id} />
        ))}
      </div>,
    )
    await act(async () => {
      t.calls[0]!.respond(400)
      await flush()
    })
    expect(screen.getByText(`${ids[0]}: failed`)).toBeTruthy()
    await act(async () => {
      fireEvent.click(screen.getByText(`Retry ${ids[0]}`))
      await flush()
    })
    // The same write again, with its key: a retry, not a new request.
    expect(t.calls).toHaveLength(2)
    expect(t.calls[1]!.request.headers.get('idempotency-key')).toBe(
      t.calls[0]!.request.headers.get('idempotency-key'),
    )
    await act(async () => {
      t.calls[1]!.respond(200)
      await flush()
    })
    expect(screen.getByText(`${ids[0]}: gone`)).toBeTruthy()
    await act(async () => {
      t.calls[2]!.respond(422)
      await flush()
    })
    expect(screen.getByText(`${ids[1]}: failed`)).toBeTruthy()
    await act(async () => {
      fireEvent.click(screen.getByText(`Give up ${ids[1]}`))
      await flush()
    })
    expect(screen.getByText(`${ids[1]}: gone`)).toBeTruthy()
    expect(outcomes).toEqual(['1 sent', '2 rejected: HttpError 422'])
    expect(queue.getSnapshot().pending).toBe(0)
  })

  it('§4 useQueueItem with an unknown or undefined id gives undefined, and its calls do nothing', async () => {
    const { queue, t } = setup({ retry: 0 })
    queue.fetch(url('/a'), { method: 'POST' }).catch(() => {})
    const retry = vi.spyOn(queue, 'retry')
    let seen: ReturnType<typeof useQueueItem>[] = []
    function Probe() {
      seen = [
        useQueueItem(queue, undefined),
        useQueueItem(queue, 'nope'),
        useQueueItem(undefined, 'x'),
      ]
      return null
    }
    render(<Probe />)
    expect(seen.map((s) => s.item)).toEqual([undefined, undefined, undefined])
    seen[0]!.retry()
    seen[2]!.retry()
    // queue.retry() without an id would wake every item: an undefined id must never reach it.
    expect(retry).not.toHaveBeenCalled()
    expect(seen.map((s) => s.discard())).toEqual([false, false, false])
    expect(t.calls).toHaveLength(1)
  })

  it('§4 useWatch reads a store of the watch shape through a selector, re-rendering on its slice only', () => {
    const watch = testWatch()
    let renders = 0
    function Data() {
      renders++
      const data = useWatch(watch, (s) => s.data as { count: number } | undefined)
      return <p>{data ? `count ${data.count}` : 'no data'}</p>
    }
    function Status() {
      return <p>{useWatch(watch).status}</p>
    }
    render(
      <>
        <Data />
        <Status />
      </>,
    )
    expect(screen.getByText('no data')).toBeTruthy()
    expect(screen.getByText('connecting')).toBeTruthy()
    act(() => watch.set({ data: { count: 3 }, status: 'live', updatedAt: 1 }))
    expect(screen.getByText('count 3')).toBeTruthy()
    expect(screen.getByText('live')).toBeTruthy()
    const before = renders
    // A snapshot with the same `data` object (only updatedAt moved): no render for the slice.
    act(() => watch.set({ updatedAt: 2, status: 'retrying' }))
    expect(screen.getByText('retrying')).toBeTruthy()
    expect(renders).toBe(before)
    cleanup()
    expect(watch.listeners).toBe(0)
  })

  it('§4 a value that is not a queue or a watch fails at the call with a TypeError', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    function Bad() {
      useQueueSnapshot({} as never)
      return null
    }
    expect(() => render(<Bad />)).toThrow(
      /fetch-queue: expected a queue or a watch \(subscribe and getSnapshot\)/,
    )
  })

  it('§4 StrictMode: mounting twice leaves one subscription per hook, and none after unmount', async () => {
    const { queue } = setup()
    const c = counted(queue)
    function Status() {
      const pending = useQueueSnapshot(c.store, (s) => s.pending)
      const { item } = useQueueItem(c.store, 'x')
      return <p>{`${pending} ${item?.state ?? '-'}`}</p>
    }
    const view = render(
      <StrictMode>
        <Status />
        <Status />
      </StrictMode>,
    )
    await settle()
    expect(c.made).toBeGreaterThan(4) // StrictMode did subscribe, unsubscribe and subscribe again
    expect(c.live).toBe(4)
    queue.fetch(url('/a'), { method: 'POST' })
    await settle()
    expect(screen.getAllByText('1 -')).toHaveLength(2)
    view.unmount()
    expect(c.live).toBe(0)
  })
})

describe(`§4 fetch-queue/react: reading the snapshot (React ${version})`, () => {
  it('§4 without a queue yet, the hooks read the frozen restoring snapshot', () => {
    let seen: QueueSnapshot | undefined
    function Probe() {
      seen = useQueueSnapshot(undefined)
      return null
    }
    render(<Probe />)
    expect(seen).toMatchObject({ items: [], pending: 0, paused: false })
    expect(restoring(seen!)).toBe(true)
    expect(seen!.status).not.toBe('idle')
    expect(Object.isFrozen(seen)).toBe(true)
    expect(Object.isFrozen(seen!.items)).toBe(true)
  })
})
