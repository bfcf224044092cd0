import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, effectScope, h, isReadonly, isRef, onUpdated, version } from 'vue'
import type { QueueSnapshot } from '../../src/types.ts'
import { useQueueSnapshot } from '../../src/vue.ts'
import { setup, url } from '../support/queue.ts'
import { flush } from '../support/tick.ts'
import { counted } from './support.ts'

describe(`§4 fetch-queue/vue (Vue ${version})`, () => {
  it('§4 useQueueSnapshot renders the slice and follows its changes', async () => {
    const { queue, t } = setup()
    const Status = defineComponent({
      setup() {
        const status = useQueueSnapshot(queue, (s) => `${s.status}: ${s.pending}`)
        return () => h('p', status.value)
      },
    })
    const wrapper = mount(Status)
    expect(wrapper.text()).toBe('idle: 0')
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(wrapper.text()).toBe('busy: 1')
    t.calls[0]!.respond(200)
    await flush()
    expect(wrapper.text()).toBe('idle: 0')
    wrapper.unmount()
  })

  it('§4 without a selector the ref holds the queue snapshot itself', async () => {
    const { queue } = setup()
    const scope = effectScope()
    const snapshot = scope.run(() => useQueueSnapshot(queue))!
    expect(snapshot.value).toBe(queue.getSnapshot())
    queue.pause()
    await flush()
    expect(snapshot.value).toBe(queue.getSnapshot())
    expect(snapshot.value.paused).toBe(true)
    scope.stop()
  })

  it('§4 the component re-renders only when its slice changes (by isEqual)', async () => {
    const { queue } = setup()
    let updates = 0
    const Pending = defineComponent({
      setup() {
        const pending = useQueueSnapshot(queue, (s) => s.pending)
        // A fresh array each time, kept while its length is the same.
        const ids = useQueueSnapshot(
          queue,
          (s) => s.items.map((i) => i.id),
          (a, b) => a.length === b.length,
        )
        onUpdated(() => updates++)
        return () => h('p', `${pending.value} pending, ${ids.value.length} ids`)
      },
    })
    const wrapper = mount(Pending)
    queue.pause()
    await flush()
    queue.resume()
    await flush()
    expect(updates).toBe(0)
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(wrapper.text()).toBe('1 pending, 1 ids')
    expect(updates).toBe(1)
    wrapper.unmount()
  })

  it('§4 the ref is a readonly shallowRef', () => {
    const { queue } = setup()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const scope = effectScope()
    const snapshot = scope.run(() => useQueueSnapshot(queue))!
    expect(isRef(snapshot)).toBe(true)
    expect(isReadonly(snapshot)).toBe(true)
    const before = snapshot.value
    ;(snapshot as { value: QueueSnapshot }).value = { ...before, pending: 99 }
    expect(snapshot.value).toBe(before)
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
    scope.stop()
  })

  it('§4 the subscription ends with its scope (onScopeDispose): unmount, or effectScope().stop()', async () => {
    const { queue } = setup()
    const c = counted(queue)
    const Status = defineComponent({
      setup() {
        const pending = useQueueSnapshot(c.store, (s) => s.pending)
        return () => h('p', pending.value)
      },
    })
    const wrapper = mount(Status)
    expect(c.live).toBe(1)
    wrapper.unmount()
    expect(c.live).toBe(0)

    const scope = effectScope()
    const pending = scope.run(() => useQueueSnapshot(c.store, (s) => s.pending))!
    expect(c.live).toBe(1)
    scope.stop()
    expect(c.live).toBe(0)
    queue.fetch(url('/messages'), { method: 'POST' })
    await flush()
    expect(pending.value).toBe(0)
  })

  it('§4 called outside setup() or an effect scope, it throws a TypeError instead of subscribing for ever', () => {
    const { queue } = setup()
    const c = counted(queue)
    expect(() => useQueueSnapshot(c.store)).toThrow(
      /fetch-queue: useQueueSnapshot must be called in setup\(\) or an effectScope\(\)/,
    )
    expect(c.made).toBe(0)
  })

  it('§4 a value that is not a queue fails at the call with a TypeError', () => {
    const scope = effectScope()
    expect(() => scope.run(() => useQueueSnapshot({} as never))).toThrow(
      /fetch-queue: useQueueSnapshot expects a queue \(subscribe and getSnapshot\), got \[object Object\]/,
    )
    scope.stop()
  })
})
