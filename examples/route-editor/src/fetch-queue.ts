// The demo runs the library from its source, so it works on a fresh clone without a build.
// In your app this file is just: import { createQueue, localStorageSpool } from 'fetch-queue'
export * from '../../../src/index.ts'
