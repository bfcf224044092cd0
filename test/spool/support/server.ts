import { API, HttpResponse, http } from '../../support/http.ts'

export interface Received {
  method: string
  path: string
  key: string | null
  body: string
  headers: Record<string, string>
}

export interface FakeApi {
  /** Every request that reached the server, in arrival order. */
  received: Received[]
  /** Writes the server applied, once per idempotency key, in order. */
  applied: Received[]
  /** Decides the answer to each request; the default applies it and answers 200. */
  reply: (request: Received, apply: () => void) => Response | Promise<Response>
}

/**
 * A small API under `API`, served by msw: it records what arrives and applies each write once per
 * `Idempotency-Key`, as a server honouring the header would.
 */
export function fakeApi(): FakeApi {
  const keys = new Set<string>()
  const api: FakeApi = {
    received: [],
    applied: [],
    reply: (_, apply) => {
      apply()
      return HttpResponse.text('ok')
    },
  }
  http.use(
    http.all(`${API}/*`, async ({ request }) => {
      const url = new URL(request.url)
      const r: Received = {
        method: request.method,
        path: url.pathname + url.search,
        key: request.headers.get('idempotency-key'),
        body: await request.text(),
        headers: Object.fromEntries(request.headers),
      }
      api.received.push(r)
      const apply = () => {
        if (r.key === null || !keys.has(r.key)) api.applied.push(r)
        if (r.key !== null) keys.add(r.key)
      }
      return api.reply(r, apply)
    }),
  )
  return api
}

/** A promise with its resolve function, to hold a response until the test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void
  const opened = new Promise<T>((r) => (open = r))
  return { open, opened }
}
