// Runs twice: in the `bindings` project against React 19, and in `bindings-react-18`.
import { act, cleanup, render, screen } from '@testing-library/react'
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
