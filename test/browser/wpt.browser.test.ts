// The web-platform-style behaviour suites in Chromium (Vitest browser mode), with the browser's
// own fetch, Request and AbortSignal. The recorder is mounted on the Vite server that serves the
// tests (vitest.browser.config.ts), so every request is real HTTP, same-origin. The same suites
// run in Node: test/compat/wpt.test.ts.
import { describe, expect, it } from 'vitest'
import { createQueue, localStorageSpool } from '../../src/index.ts'
import { abortBehaviours } from '../compat/wpt/abort.ts'
import { basicBehaviours } from '../compat/wpt/basic.ts'
import type { Env } from '../compat/wpt/env.ts'
import { requestErrorBehaviours } from '../compat/wpt/request-error.ts'

const env: Env = { base: `${location.origin}/__compat` }

abortBehaviours(env)
requestErrorBehaviours(env)
basicBehaviours(env)

describe('a Request from another realm (an iframe)', () => {
  it('is sent as a Request, its body stored by the spool, its signal honoured', async () => {
    const frame = document.createElement('iframe')
    document.body.append(frame)
    const Foreign = (frame.contentWindow as unknown as typeof globalThis).Request
    const storage = window.localStorage
    const queue = createQueue({ spool: localStorageSpool({ key: `realm-${Date.now()}`, storage }) })
    const spoolErrors: unknown[] = []
    queue.on('spoolerror', ({ error }) => spoolErrors.push(error))
    const request = new Foreign(`${env.base}/echo`, {
      method: 'POST',
      body: 'from the frame',
      headers: { 'x-trace': 'frame' },
    })
    expect(request instanceof Request).toBe(false)
    const echo = await (await queue.fetch(request)).json()
    expect(echo.method).toBe('POST')
    expect(echo.url).toBe('/__compat/echo')
    expect(echo.body).toBe('from the frame')
    expect(echo.headers).toContainEqual(['x-trace', 'frame'])
    // The frame's bytes were encoded for storage like this realm's: no 'unstorable' error.
    expect(spoolErrors).toEqual([])
    const controller = new (frame.contentWindow as unknown as typeof globalThis).AbortController()
    controller.abort()
    const aborted = new Foreign(`${env.base}/data.json`, { signal: controller.signal })
    expect(
      await queue.fetch(aborted).then(
        () => 'resolved',
        (e: Error) => e.name,
      ),
    ).toBe('AbortError')
    queue.dispose()
    frame.remove()
  })
})
