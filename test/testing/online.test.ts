import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/queue.ts'
import { flush } from '../../src/testing/flush.ts'
import { manualOnline } from '../../src/testing/online.ts'
import { testTransport } from '../../src/testing/transport.ts'
import { track } from '../support/queue.ts'

describe('testing: manualOnline', () => {
  it('holds writes while offline and sends them the moment it goes online', async () => {
    const network = manualOnline(false)
    const t = testTransport()
    const queue = track(createQueue({ transport: t.transport, online: network }))
    queue.fetch('https://api.test/stops', { method: 'POST' })
    await flush()
    expect(queue.getSnapshot()).toMatchObject({ online: false, status: 'waiting' })
    expect(t.calls).toHaveLength(0)
    network.setOnline(true)
    await flush()
    expect(t.labels()).toEqual(['POST /stops'])
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
