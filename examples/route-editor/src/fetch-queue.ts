// The demo runs the library from its source, so it works on a fresh clone without a build.
// In your app this file is just: import { createQueue, localStorageSpool } from 'fetch-queue'
// and import { watch } from 'fetch-queue/watch', import { followJobs } from 'fetch-queue/jobs'.
export * from '../../../src/index.ts'
export * from '../../../src/jobs/index.ts'
export * from '../../../src/watch/index.ts'
