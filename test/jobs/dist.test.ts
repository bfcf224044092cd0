/**
 * The built `fetch-queue/jobs`, imported by its name the way a user does, against real HTTP (msw
 * behind the global fetch): a 202 followed through a 303 to its result. `npm test` builds dist/
 * first.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as source from '../../src/jobs/index.ts'
import { fakeOnline } from '../support/online.ts'
import { jobServer, url } from './support.ts'

const built = fileURLToPath(new URL('../../dist/jobs.js', import.meta.url))
// Variable specifiers keep the type checker (run before the build) away from dist/.
const core = 'fetch-queue'
const name = 'fetch-queue/jobs'

async function load() {
  if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` before this test')
  const [{ createQueue }, jobs] = await Promise.all([
    import(/* @vite-ignore */ core) as Promise<typeof import('../../src/index.ts')>,
    import(/* @vite-ignore */ name) as Promise<typeof source>,
  ])
  return { createQueue, ...jobs }
}

describe('the built fetch-queue/jobs', () => {
  it('resolves to dist/jobs.js through the exports map', async () => {
    expect(fileURLToPath(import.meta.resolve(name))).toBe(built)
    const { followJobs } = await load()
    expect(followJobs).not.toBe(source.followJobs)
    expect(Object.keys(await import(/* @vite-ignore */ name)).sort()).toEqual([
      'JOB_DEFAULTS',
      'JobError',
      'followJobs',
      'isJobError',
    ])
  })

  it('follows a 202 through its status URL and a 303 to the result, with a real fetch', async () => {
    const { createQueue, followJobs } = await load()
    const server = jobServer({ running: () => ({ 'retry-after': '0' }) })
    const queue = createQueue({ online: fakeOnline(), follow: followJobs({ interval: 1 }) })
    try {
      const result = queue.fetch(url('/exports'), { method: 'POST', json: { n: 1 } })
      await server.seen(3)
      server.finish(1, { built: true })
      const response = await result
      expect(response.url).toBe(url('/results/1'))
      expect(await response.json()).toEqual({ built: true })
      expect(server).toMatchObject({ posts: 1, created: 1 })
    } finally {
      queue.dispose()
    }
  })
})
