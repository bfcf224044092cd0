/**
 * One msw instance for every unit test file: `setupServer` in Node, `setupWorker` in a real browser
 * (Vitest browser mode). Handlers are reset after each test (see test/setup.ts), and a request no
 * handler matches fails the test that made it.
 *
 * `http` is msw's `http` handler namespace plus the server's `use`/`resetHandlers`, so a test reads
 * `http.use(http.get(url, () => HttpResponse.json(data)))`.
 */
import { http as handlers, type RequestHandler } from 'msw'

export { delay, HttpResponse } from 'msw'

interface Interceptor {
  use(...handlers: RequestHandler[]): void
  resetHandlers(...handlers: RequestHandler[]): void
}

const inBrowser =
  typeof window !== 'undefined' &&
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !==
    'string'

/** Requests no handler matched since the last check. test/setup.ts fails the test if any. */
export const unhandled: string[] = []

const onUnhandledRequest = (request: Request, print: { error(): void }) => {
  unhandled.push(`${request.method} ${request.url}`)
  // Same as `onUnhandledRequest: 'error'`: log it and make the request fail.
  print.error()
}

let start: () => Promise<unknown> | unknown
let stop: () => void
let api: Interceptor

if (inBrowser) {
  const { setupWorker } = await import('msw/browser')
  const worker = setupWorker()
  api = worker
  start = () => worker.start({ onUnhandledRequest, quiet: true })
  stop = () => worker.stop()
} else {
  const { setupServer } = await import('msw/node')
  const server = setupServer()
  api = server
  start = () => server.listen({ onUnhandledRequest })
  stop = () => server.close()
}

export const http = Object.assign(Object.create(null) as {}, handlers, {
  use: (...list: RequestHandler[]) => api.use(...list),
  resetHandlers: (...list: RequestHandler[]) => api.resetHandlers(...list),
}) as typeof handlers & Interceptor

export const startHttp = start
export const stopHttp = stop

/** An origin nobody serves; every test URL lives under it. */
export const API = 'https://api.test'
