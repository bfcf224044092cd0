import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { createDemoApi } from './examples/server/server.ts'
import { CHROMIUM_ARGS, findChromium } from './scripts/engines/chromium.ts'
import { type EngineName, engineFromEnv } from './scripts/engines/index.ts'
import { freePort } from './scripts/engines/port.ts'
import { firefoxProvider, webkitProvider } from './scripts/engines/vitest-provider.ts'
import { createRecorder } from './test/compat/support/recorder.ts'

// Library tests in a real browser (Vitest browser mode): the browser's own fetch, localStorage,
// navigator.locks and AbortSignal. BROWSER_ENGINE picks chromium (the default), firefox or
// webkit. The demo API is mounted on the Vite server that serves the tests, so requests are
// same-origin and real. Run through `npm run test:browser`.
const api = createDemoApi({ seed: false })
// The compatibility suite's recorder, under /__compat/ (test/browser/wpt.browser.test.ts).
const recorder = createRecorder()

const engine: EngineName = engineFromEnv()
const provider =
  engine === 'chromium'
    ? playwright({ launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS } })
    : engine === 'firefox'
      ? firefoxProvider()
      : webkitProvider()

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
      provider,
      instances: [{ browser: engine }],
      // Storage and Web Locks need a secure context: http://localhost is one in every engine.
      api: { host: 'localhost', port: await freePort() },
    },
  },
})
