import { defineConfig } from 'vitest/config'

// The unit project's tests of the engine and the spool, for `npm run mutate` (stryker.config.json).
// The tests of dist/ and of the add-ons (jobs, watch, xhr, the HTTP-client compatibility suite)
// are left out: they check the build or another module, and would only slow each mutant down.
export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts', 'test/spool/**/*.test.ts'],
    exclude: ['test/**/tree-shaking.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts', 'test/support/fixed-seed.ts'],
  },
})
