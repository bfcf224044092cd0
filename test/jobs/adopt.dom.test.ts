// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { followJobs } from '../../src/jobs/index.ts'
import { ADOPT_GRACE } from '../../src/spool/partitions.ts'
import { lockHub } from '../spool/support/locks.ts'
import { KEY, openPage } from '../spool/support/page.ts'
import { fakeStorage } from '../spool/support/storage.ts'
import { fakeClock } from '../support/clock.ts'
import { until } from '../support/tick.ts'
import { API, flush, jobServer, url } from './support.ts'

// The page is http://localhost:3000 here; the job API is another origin, allowed by the spool.
const spool = { allowedOrigins: [API] }

describe('2.10 several tabs', () => {
  it('2.10 a job left by a tab that closes is adopted by a running tab, which polls on and gets its result', async () => {
    const server = jobServer()
    const storage = fakeStorage()
    const hub = lockHub()
    const clock = fakeClock()
    const queue = { follow: followJobs() }
    const a = openPage({ storage, locks: hub.tab(), clock, spool, queue })
    await a.queue.ready
    const tabB = hub.tab()
    const b = openPage({ storage, locks: tabB, clock, spool, queue })
    await b.queue.ready
    b.queue.fetch(url('/exports'), { method: 'POST', meta: { export: 'b' } })
    await server.seen(1)
    await flush()
    expect(b.queue.getSnapshot().items.map((i) => i.state)).toEqual(['accepted'])
    const [written] = [...storage.data.keys()]
    expect(written?.startsWith(`${KEY}/`)).toBe(true)
    // What the browser does in the other tabs when one writes to localStorage.
    window.dispatchEvent(new StorageEvent('storage', { key: written! }))

    tabB.close()
    b.queue.dispose()
    await flush()
    await clock.advance(ADOPT_GRACE)
    await until(() => a.of('restored').length === 1, 'A adopts the job B left')
    expect(a.queue.getSnapshot().items).toMatchObject([
      { state: 'accepted', location: url('/jobs/1'), meta: { export: 'b' } },
    ])
    server.finish(1, { rows: 2 })
    await clock.advance(2500)
    await until(() => a.of('sent').length === 1, 'the result reaches A')
    expect(await a.of('sent')[0]!.response.json()).toEqual({ rows: 2 })
    expect(server).toMatchObject({ posts: 1, created: 1 })
    expect(storage.data.size).toBe(0)
  })
})
