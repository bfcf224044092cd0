import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/queue.ts'
import { flush } from '../../src/testing/flush.ts'
import { manualOnline } from '../../src/testing/online.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { track } from '../support/queue.ts'

describe('testing: manualOnline', () => {
  it('says offline in the snapshot; a write dropped meanwhile is retried the moment it goes online', async () => {
    const network = manualOnline(false)
    const t = testTransport()
    const queue = track(
      createQueue({ transport: t.transport, online: network, retry: { baseDelay: 60_000 } }),
    )
    queue.fetch('https://api.test/stops', { method: 'POST' })
    await flush()
    expect(queue.getSnapshot()).toMatchObject({ online: false, status: 'waiting' })
    // Offline is a hint, not a gate: the write is tried, and the network drops it.
    t.calls[0]!.drop()
    await flush()
    expect(t.calls).toHaveLength(1)
    network.setOnline(true)
    await flush()
    expect(t.labels()).toEqual(['POST /stops', 'POST /stops'])
  })

  it('becomeVisible() tells subscribers the current state; dispose() unsubscribes', () => {
    const network = manualOnline()
    const heard: boolean[] = []
    const off = network.subscribe((online) => heard.push(online))
    network.becomeVisible()
    network.setOnline(false)
    expect(heard).toEqual([true, false])
    expect(network.listeners).toBe(1)
    off()
    expect(network.listeners).toBe(0)
    const queue = createQueue({ online: network, transport: testTransport().transport })
    expect(network.listeners).toBe(1)
    queue.dispose()
    expect(network.listeners).toBe(0)
  })
})
