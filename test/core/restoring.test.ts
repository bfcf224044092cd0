import { describe, expect, it } from 'vitest'
import { defineSpool, type SpoolLoad, type SpoolRecord } from '../../src/index.ts'
import { record } from '../spool/support/records.ts'
import { setup } from '../support/queue.ts'
import { flush, state } from '../support/tick.ts'

/** A spool whose `load` the test answers, holding the queue in its restoring phase. */
function heldSpool(records: SpoolRecord[]) {
  let answer!: () => void
  const loaded = new Promise<void>((r) => (answer = r))
  const deleted: string[] = []
  const spool = defineSpool({
    name: 'held',
    load: async (): Promise<SpoolLoad> => {
      await loaded
      return { records }
    },
    put() {},
    delete(id) {
      deleted.push(id)
    },
    clear() {},
  })
  return { spool, answer, deleted }
}

describe('2.7 restoring is part of the state', () => {
  it('2.7 while the spool is read the snapshot says restoring and is never idle', async () => {
    const { spool, answer } = heldSpool([record({ url: 'https://api.test/stops' })])
    const { queue, t } = setup({ spool }, { auto: () => 200 })
    const first = queue.getSnapshot()
    expect(first.restoring).toBe(true)
    expect(first.status).not.toBe('idle')
    await flush()
    expect(queue.getSnapshot().status).not.toBe('idle')
    answer()
    await queue.ready
    await queue.whenIdle()
    expect(t.calls.map((c) => c.label)).toEqual(['POST /stops'])
    const after = queue.getSnapshot()
    expect(after.restoring).toBe(false)
    expect(after.status).toBe('idle')
  })

  it('2.7 whenIdle() waits for the restored writes, not only for what this page enqueued', async () => {
    const { spool, answer } = heldSpool([record({ url: 'https://api.test/stops' })])
    const { queue, t } = setup({ spool })
    const idle = queue.whenIdle()
    await flush()
    expect(await state(idle)).toBe('pending')
    answer()
    await queue.ready
    await flush()
    expect(await state(idle)).toBe('pending')
    t.calls[0]!.respond(200)
    await idle
  })

  it('2.7 a queue without a spool is not restoring', () => {
    const { queue } = setup()
    expect(queue.getSnapshot()).toMatchObject({ restoring: false, status: 'idle' })
  })
})

describe('2.3 dedupe has one rule, for restored items too', () => {
  it('2.3 a restored write is in doubt: a newer write with its key goes after it, never replaces it', async () => {
    const stored = record({
      url: 'https://api.test/stops',
      dedupe: 'stops',
      key: 'old-key',
      headers: [['idempotency-key', 'old-key']],
    })
    const { spool, answer, deleted } = heldSpool([stored])
    const { queue, t } = setup({ spool }, { auto: () => 200 })
    const events: string[] = []
    queue.on('superseded', ({ item }) => events.push(item.id))
    // Enqueued while the spool is still being read.
    const fresh = queue.fetch('https://api.test/stops', {
      method: 'POST',
      body: 'new',
      dedupe: 'stops',
    })
    answer()
    await queue.ready
    await fresh
    await queue.whenIdle()
    expect(t.calls.map((c) => c.body)).toEqual([stored.body!.v, 'new'])
    expect(t.calls[0]!.request.headers.get('idempotency-key')).toBe('old-key')
    expect(events).toEqual([])
    expect(deleted).toContain(stored.id)
  })

  it('2.3 a restored write is not replaced by a newer one enqueued after the restore either', async () => {
    const stored = record({ url: 'https://api.test/stops', dedupe: 'stops' })
    const { spool, answer } = heldSpool([stored])
    const { queue, t } = setup({ spool })
    answer()
    await queue.ready
    await flush()
    // Answered, so not in doubt by a dropped connection: only being restored protects it.
    t.calls[0]!.respond(503)
    await flush()
    queue.fetch('https://api.test/stops', { method: 'POST', body: 'new', dedupe: 'stops' })
    expect(queue.getSnapshot().items.map((i) => i.id)).toEqual([stored.id, expect.any(String)])
  })
})
