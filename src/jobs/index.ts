/**
 * `fetch-queue/jobs`: follows `202 Accepted` jobs. A write answered 202 with a status URL is polled
 * through the queue until the job ends, and its caller gets the result; the spool keeps the job
 * across reloads. Pass `followJobs()` as `createQueue({ follow })`.
 *
 * @module fetch-queue/jobs
 */
export type { FollowJobs } from '../follow.ts'
export { isJobError, JobError, type JobErrorCode } from './errors.ts'
export { followJobs } from './follow.ts'
export { type FollowJobsOptions, JOB_DEFAULTS } from './options.ts'
