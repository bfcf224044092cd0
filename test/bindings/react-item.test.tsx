// Runs twice: in the `bindings` project against React 19, and in `bindings-react-18`.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { version } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useQueueItem } from '../../src/react.ts'
import type { QueueSnapshot } from '../../src/types.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe(`§4 fetch-queue/react: useQueueItem (React ${version})`, () => {
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
})
