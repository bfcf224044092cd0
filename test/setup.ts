import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { http, startHttp, stopHttp, unhandled } from './support/http.ts'

// The compatibility suite (test/compat) talks to a real server on 127.0.0.1: msw would sit
// between the client and the wire and change what it compares.
let mocked = false

beforeAll(async () => {
  mocked = !/[\\/]test[\\/]compat[\\/]/.test(expect.getState().testPath ?? '')
  if (mocked) await startHttp()
})

afterEach(() => {
  if (!mocked) return
  http.resetHandlers()
  if (unhandled.length) {
    const list = unhandled.splice(0)
    throw new Error(`msw: request(s) without a handler: ${list.join(', ')}`)
  }
})

afterAll(() => {
  if (mocked) stopHttp()
})
