import type { SimClock } from './clock.ts'

/** The shape of the editing session. Every contender is served by the same code with these numbers. */
export interface SessionConfig {
  /** One way, milliseconds. */
  latency: number
  /** Server time to compute the statistics. */
  statsMs: number
  edits: number
  /** Milliseconds between two edits. */
  gap: number
  /** The connection drops at `from` and comes back at `to`. */
  outage?: { from: number; to: number }
}

export const SESSION: SessionConfig = { latency: 50, statsMs: 200, edits: 200, gap: 20 }

/** One request as the client saw it on the wire. */
export interface WireRecord {
  method: string
  sentAt: number
  /** When the client stopped waiting: response, abort or connection lost. */
  endAt: number | undefined
  outcome: 'pending' | 'ok' | 'aborted' | 'lost'
}

export interface Stats {
  /** The last edit the statistics were computed from. */
  edit: number
  /** A write landed while they were being computed: the numbers mix two states. */
  torn: boolean
}

interface Flight {
  record: WireRecord
  reject: (error: unknown) => void
  done: boolean
}

/**
 * The network and the server of the editing session. `POST` saves the stops (applied when it
 * arrives), `GET` computes statistics for `statsMs`. A replayed write with an idempotency key the
 * server has seen is not applied twice.
 */
export class Network {
  online = true
  readonly requests: WireRecord[] = []
  /** Requests that failed at once because the client was offline. */
  offlineFailures = 0
  /** The stops on the server: the number of the last edit applied. */
  state = -1
  #version = 0
  #seen = new Set<string>()
  #flights = new Set<Flight>()
  #listeners = new Set<(online: boolean) => void>()

  constructor(
    readonly clock: SimClock,
    readonly config: SessionConfig,
  ) {}

  /** For `createQueue({ online })`. */
  readonly onlineSource = {
    isOnline: (): boolean => this.online,
    subscribe: (listener: (online: boolean) => void): (() => void) => {
      this.#listeners.add(listener)
      return () => this.#listeners.delete(listener)
    },
  }

  down(): void {
    this.online = false
    // Every request on the wire is cut: its response never comes.
    for (const f of this.#flights) this.#end(f, 'lost', new TypeError('Failed to fetch'))
    for (const l of this.#listeners) l(false)
  }

  up(): void {
    this.online = true
    for (const l of this.#listeners) l(true)
  }

  /** `fetch`, simulated. Honours `signal`. */
  fetch = (
    url: string,
    init: {
      method?: string
      body?: unknown
      headers?: HeadersInit
      signal?: AbortSignal | null
    } = {},
  ): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase()
    if (!this.online) {
      this.offlineFailures++
      return Promise.reject(new TypeError('Failed to fetch'))
    }
    if (init.signal?.aborted) return Promise.reject(init.signal.reason)
    void url
    const record: WireRecord = {
      method,
      sentAt: this.clock.now(),
      endAt: undefined,
      outcome: 'pending',
    }
    this.requests.push(record)
    const { latency, statsMs } = this.config
    return new Promise<Response>((resolve, reject) => {
      const flight: Flight = { record, reject, done: false }
      this.#flights.add(flight)
      init.signal?.addEventListener(
        'abort',
        () => this.#end(flight, 'aborted', init.signal!.reason),
        {
          once: true,
        },
      )
      const reply = (body: unknown) =>
        this.clock.setTimeout(() => {
          if (flight.done) return
          this.#end(flight, 'ok')
          resolve(
            new Response(body === undefined ? null : JSON.stringify(body), {
              status: body === undefined ? 204 : 200,
              headers: { 'content-type': 'application/json' },
            }),
          )
        }, latency)
      this.clock.setTimeout(() => {
        if (flight.done && flight.record.outcome === 'lost') return
        // An aborted request already reached the server: it still does the work, nobody sees it.
        if (method === 'POST') {
          const key = new Headers(init.headers).get('idempotency-key')
          if (!key || !this.#seen.has(key)) {
            if (key) this.#seen.add(key)
            this.state = (JSON.parse(String(init.body)) as { edit: number }).edit
            this.#version++
          }
          reply(undefined)
        } else {
          const edit = this.state
          const version = this.#version
          this.clock.setTimeout(() => {
            if (flight.done && flight.record.outcome === 'lost') return
            reply({ edit, torn: version !== this.#version } satisfies Stats)
          }, statsMs)
        }
      }, latency)
    })
  }

  #end(flight: Flight, outcome: WireRecord['outcome'], error?: unknown): void {
    if (flight.done) return
    flight.done = true
    flight.record.outcome = outcome
    flight.record.endAt = this.clock.now()
    this.#flights.delete(flight)
    if (outcome !== 'ok') flight.reject(error)
  }
}
