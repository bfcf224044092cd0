import { defineConfig } from 'vitest/config'

// End-to-end suite: the route-editor demo in Debian's Chromium, driven by playwright-core from
// Node, against the demo server started in-process. Run through `npm run test:browser`.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    // One Chromium at a time: the scenarios measure timing-sensitive behaviour on a small machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A page reacts within seconds on a loaded machine, not within expect.poll's default 1 s (the
    // export's first status poll alone comes 1 s after its 202, at the server's Retry-After).
    expect: { poll: { timeout: 10_000 } },
  },
})
