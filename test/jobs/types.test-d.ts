import { describe, expectTypeOf, test } from 'vitest'
import { createQueue, type ItemInfo, type QueueOptions } from '../../src/index.ts'
import {
  type FollowJobs,
  type FollowJobsOptions,
  followJobs,
  isJobError,
  JobError,
  type JobErrorCode,
} from '../../src/jobs/index.ts'

describe('fetch-queue/jobs types', () => {
  test('followJobs() is what createQueue takes as follow', () => {
    expectTypeOf(followJobs).parameter(0).toEqualTypeOf<FollowJobsOptions | undefined>()
    expectTypeOf(followJobs()).toEqualTypeOf<FollowJobs>()
    expectTypeOf<QueueOptions['follow']>().toEqualTypeOf<FollowJobs | undefined>()
    createQueue({ follow: followJobs({ interval: 500, maxInterval: 10_000, maxWait: 60_000 }) })
    // @ts-expect-error: a boolean is not a follower
    createQueue({ follow: true })
    // @ts-expect-error: hold is a boolean
    followJobs({ hold: 'yes' })
  })

  test('follow: false on one request; location and the accepted event on the queue', () => {
    const queue = createQueue({ follow: followJobs() })
    queue.fetch('/exports', { method: 'POST', follow: false })
    queue.on('accepted', (e) => {
      expectTypeOf(e.location).toBeString()
      expectTypeOf(e.item).toEqualTypeOf<ItemInfo>()
    })
    expectTypeOf<ItemInfo['location']>().toEqualTypeOf<string | undefined>()
  })

  test('JobError is a typed error with a code', () => {
    const error: unknown = new Error()
    if (isJobError(error)) {
      expectTypeOf(error).toEqualTypeOf<JobError>()
      expectTypeOf(error.code).toEqualTypeOf<JobErrorCode>()
      expectTypeOf(error.location).toBeString()
    }
    expectTypeOf<JobErrorCode>().toEqualTypeOf<'max-wait' | 'status-url'>()
    expectTypeOf(new JobError('max-wait', '/jobs/1', 'late').name).toEqualTypeOf<'JobError'>()
  })
})
