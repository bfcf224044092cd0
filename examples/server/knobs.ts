/**
 * The demo server's test knobs (`POST /__control/knobs`): latency, outages and failure rules, for
 * one project or for all of them.
 */

export type FailMode = 'drop' | '503' | '400' | 'lose-response'

export interface FailRule {
  /**
   * `drop`: close the connection without answering (nothing applied).
   * `503`: answer 503 with `Retry-After: retryAfter` seconds (nothing applied).
   * `400`: answer 400 (nothing applied).
   * `lose-response`: apply the write, then close the connection instead of answering.
   */
  mode: FailMode
  /** How many matching requests fail. Default 1. */
  count?: number
  /** Which requests match. Default `write`. */
  on?: 'write' | 'read' | 'any'
  /** Seconds, for `503`. Default 1. */
  retryAfter?: number
}

export interface Knobs {
  /** Only this project; without it, every project. */
  project?: string
  /** Milliseconds before each API request is answered. */
  latency?: number
  /**
   * Milliseconds a write is processed once its body arrived, before it is applied. Its
   * `Idempotency-Key` is in progress meanwhile: a repeat gets 409.
   */
  processing?: number
  /** Drop every API request until set back to false. Static files are still served. */
  down?: boolean
  /**
   * Hold every API request unanswered (and unapplied) until set back to false; then the held
   * connections are closed. A server that accepts connections but never answers.
   */
  hang?: boolean
  /** Cuts every open event stream now (of `project`, or all), as a flaky network would. */
  dropStreams?: boolean
  /** The `retry:` (ms) event streams send when they open: the client's reconnect base. Default 1000. */
  streamRetry?: number
  /** Adds a failure rule; rules are used up in the order they were added. */
  fail?: FailRule
}

export interface FailState extends Required<Omit<FailRule, 'count'>> {
  left: number
  project: string | undefined
}

/** The knobs' current settings, read per request. `dropStreams` is the event hub's business. */
export interface KnobState {
  latency(project: string): number
  processing(project: string): number
  down(project: string): boolean
  hang(project: string): boolean
  streamRetry(project: string): number
  /** Holds a request of a hanging project; `drop` runs when `hang` is set back to false, or on reset. */
  hold(project: string, drop: () => void): { release(): void }
  /** Uses up the first failure rule that matches the request, if any. */
  takeRule(project: string, write: boolean): FailState | undefined
  set(knobs: Knobs): void
  reset(): void
}

type PerProject<T> = Map<string | undefined, T>

export function createKnobs(): KnobState {
  let latency: PerProject<number> = new Map()
  let processing: PerProject<number> = new Map()
  let down: PerProject<boolean> = new Map()
  let hang: PerProject<boolean> = new Map()
  let streamRetry: PerProject<number> = new Map()
  let rules: FailState[] = []
  const held = new Set<{ project: string; drop(): void }>()
  // A project's own setting, else the one for every project.
  const knob = <T>(map: PerProject<T>, id: string) => map.get(id) ?? map.get(undefined)

  return {
    latency: (id) => knob(latency, id) ?? 0,
    processing: (id) => knob(processing, id) ?? 0,
    down: (id) => knob(down, id) ?? false,
    hang: (id) => knob(hang, id) ?? false,
    streamRetry: (id) => knob(streamRetry, id) ?? 1000,
    hold(project, drop) {
      const h = { project, drop }
      held.add(h)
      return { release: () => held.delete(h) }
    },
    takeRule(id, write) {
      const i = rules.findIndex(
        (r) =>
          (r.project === undefined || r.project === id) &&
          (r.on === 'any' || (r.on === 'write') === write),
      )
      if (i < 0) return undefined
      const rule = rules[i]!
      if (--rule.left <= 0) rules.splice(i, 1)
      return rule
    },
    set(k) {
      if (k.latency !== undefined) latency.set(k.project, k.latency)
      if (k.processing !== undefined) processing.set(k.project, k.processing)
      if (k.down !== undefined) down.set(k.project, k.down)
      if (k.hang !== undefined) {
        hang.set(k.project, k.hang)
        for (const h of held) {
          if (!knob(hang, h.project)) {
            held.delete(h)
            h.drop()
          }
        }
      }
      if (k.streamRetry !== undefined) streamRetry.set(k.project, k.streamRetry)
      if (k.fail) {
        const { mode, count = 1, on = 'write', retryAfter = 1 } = k.fail
        if (!['drop', '503', '400', 'lose-response'].includes(mode))
          throw new TypeError(`unknown fail mode ${mode}`)
        rules.push({ mode, left: count, on, retryAfter, project: k.project })
      }
    },
    reset() {
      latency = new Map()
      processing = new Map()
      down = new Map()
      hang = new Map()
      streamRetry = new Map()
      for (const h of held) h.drop()
      held.clear()
      rules = []
    },
  }
}
