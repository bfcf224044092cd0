import { defineConfig } from 'vitest/config'

// The "Testing your app" example runs as a user's suite would: on its own, against the built
// package (`fetch-queue` and `fetch-queue/testing` resolve to dist/ through package.json).
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.test.ts'],
  },
})
