import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { createDemoApi } from './examples/server/server.ts'
import { CHROMIUM_ARGS, findChromium } from './scripts/engines/chromium.ts'
import { createRecorder } from './test/compat/support/recorder.ts'

// Library tests in real Chromium (Vitest browser mode): the browser's own fetch, localStorage,
// navigator.locks and AbortSignal. The demo API is mounted on the Vite server that serves the
// tests, so requests are same-origin and real. Run through `npm run test:browser`.
const api = createDemoApi({ seed: false })
// The compatibility suite's recorder, under /__compat/ (test/browser/wpt.browser.test.ts).
const recorder = createRecorder()

export default defineConfig({
  plugins: [
    {
      name: 'demo-api',
      configureServer(server) {
        server.middlewares.use((req, res, next) => recorder.handle(req, res, next))
        server.middlewares.use((req, res, next) => api.handle(req, res, next))
      },
    },
  ],
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
})
