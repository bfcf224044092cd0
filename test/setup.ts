import { afterAll, afterEach, beforeAll } from 'vitest'
import { http, startHttp, stopHttp, unhandled } from './support/http.ts'

beforeAll(async () => {
  await startHttp()
})

afterEach(() => {
  http.resetHandlers()
  if (unhandled.length) {
    const list = unhandled.splice(0)
    throw new Error(`msw: request(s) without a handler: ${list.join(', ')}`)
  }
})

afterAll(() => {
  stopHttp()
})
