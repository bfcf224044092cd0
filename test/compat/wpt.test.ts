// The web-platform-style behaviour suites in Node, against the recorder on 127.0.0.1. The same
// suites run in Chromium: test/browser/wpt.browser.test.ts.
import { afterAll, beforeAll } from 'vitest'
import type { RecordingServer } from './support/recorder.ts'
import { startRecorder } from './support/recorder.ts'
import { abortBehaviours } from './wpt/abort.ts'
import { basicBehaviours } from './wpt/basic.ts'
import type { Env } from './wpt/env.ts'
import { requestErrorBehaviours } from './wpt/request-error.ts'

let server: RecordingServer
beforeAll(async () => {
  server = await startRecorder()
})
afterAll(async () => {
  for (const h of server.held) h.release()
  await server.close()
})

const env: Env = {
  get base() {
    return server.base
  },
}

abortBehaviours(env)
requestErrorBehaviours(env)
basicBehaviours(env)
