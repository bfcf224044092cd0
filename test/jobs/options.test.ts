import { describe, expect, it } from 'vitest'
import { createQueue, isQueueError, QueueError } from '../../src/index.ts'
import { followJobs, isJobError, JOB_DEFAULTS, JobError } from '../../src/jobs/index.ts'
import { jobSettings } from '../../src/jobs/options.ts'
import { fakeOnline } from '../support/online.ts'
import { track } from '../support/queue.ts'
import { advance, jobQueue, jobServer, url } from './support.ts'

describe('2.10 followJobs options', () => {
  it('2.10 the defaults: 1 s, growing to 30 s, for at most 24 h, without holding the lane', () => {
    expect(JOB_DEFAULTS).toEqual({
      interval: 1000,
      maxInterval: 30_000,
      maxWait: 86_400_000,
      hold: false,
    })
    expect(jobSettings()).toEqual(JOB_DEFAULTS)
    expect(jobSettings({ interval: undefined, hold: undefined })).toEqual(JOB_DEFAULTS)
  })

  it('2.10 an interval longer than 30 s raises the default maxInterval with it', () => {
    expect(jobSettings({ interval: 60_000 }).maxInterval).toBe(60_000)
  })

  it.each([
    [{ interval: 0 }, 'option `interval` must be a number of milliseconds > 0, got 0'],
    [{ interval: '1s' }, 'option `interval` must be a number of milliseconds > 0, got "1s"'],
    [{ interval: Number.NaN }, 'option `interval` must be a number of milliseconds > 0, got NaN'],
    [
      { interval: 2000, maxInterval: 1000 },
      'option `maxInterval` must be a number of milliseconds ≥ interval (2000), got 1000',
    ],
    [{ maxWait: -1 }, 'option `maxWait` must be a number of milliseconds > 0, got -1'],
    [{ hold: 'yes' }, 'option `hold` must be a boolean, got "yes"'],
  ])('2.10 %j is refused: %s', (options, message) => {
    expect(() => followJobs(options as never)).toThrow(new TypeError(`fetch-queue: ${message}`))
  })

  it('2.10 options that are not an object are refused', () => {
    expect(() => followJobs(5 as never)).toThrow(
      new TypeError('fetch-queue: option `followJobs(options)` must be an object, got 5'),
    )
  })

  it('2.10 createQueue refuses a follow option that is not followJobs()', () => {
    for (const follow of [true, {}, 'jobs'])
      expect(() => createQueue({ follow: follow as never, online: fakeOnline() })).toThrow(
        new TypeError(
          `fetch-queue: option \`follow\` must be followJobs() from fetch-queue/jobs, got ${typeof follow === 'string' ? JSON.stringify(follow) : String(follow)}`,
        ),
      )
    expect(() => track(createQueue({ follow: followJobs(), online: fakeOnline() }))).not.toThrow()
  })

  it('2.10 the options take effect: interval and maxInterval set the pace, maxWait the deadline', async () => {
    const server = jobServer()
    const { queue, of } = jobQueue({ interval: 200, maxInterval: 300, maxWait: 1000 })
    queue.fetch(url('/exports'), { method: 'POST' })
    await advance(1000)
    expect(server.polls()).toEqual([200, 500, 800, 1000])
    expect(of('failed').map((e) => e.error.name)).toEqual(['JobError'])
  })
})

describe('2.10 JobError', () => {
  it('2.10 a JobError is a QueueError; both guards know one from another realm by its name', () => {
    const error = new JobError('max-wait', '/jobs/1', 'late')
    expect(error).toBeInstanceOf(QueueError)
    expect(isJobError(error) && isQueueError(error)).toBe(true)
    const foreign = { name: 'JobError', message: 'late', code: 'max-wait' }
    expect(isJobError(foreign)).toBe(true)
    expect(isQueueError(foreign)).toBe(true)
    expect(isJobError(new Error('late'))).toBe(false)
  })
})
