/**
 * The demo server's `Idempotency-Key` handling, as draft-ietf-httpapi-idempotency-key-header-07
 * asks of a server, for any endpoint that applies a write:
 * - the first request with a key is applied, and its answer stored under the key;
 * - a repeat while the first is still being processed gets `409 Conflict`;
 * - a repeat with a different body gets `422 Unprocessable Content`: the key was reused;
 * - a repeat after the first was answered gets the stored answer, not a second copy.
 *
 *   const idempotency = idempotencyStore()
 *   const { outcome, answer } = await idempotency.handle(requestKey(req), body, () => apply(body))
 *   send(answer.status, answer.body, answer.headers)
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** An endpoint's answer to a write, as it is stored under the write's key. */
export interface Answer {
  status: number
  body: string
  /** Headers a repeat must get again, e.g. a `Location`. */
  headers?: Record<string, string>
}

/**
 * What became of one request:
 * - `applied`: the write was applied now (the first request with its key, or one without a key);
 * - `replayed`: a repeat of a write already answered: `answer` is the stored answer;
 * - `in-progress`: a repeat while the first request is still being processed: a 409;
 * - `reused`: the key was used before for a different body: a 422.
 */
export interface Handled {
  outcome: 'applied' | 'replayed' | 'in-progress' | 'reused'
  answer: Answer
}

export interface IdempotencyStore {
  /**
   * Applies a write once per key. `apply` runs only for a key not seen before (or no key). A
   * successful (2xx) answer is stored for repeats; a failed one frees the key, so the client may
   * try again.
   */
  handle(
    key: string | undefined,
    body: string,
    apply: () => Answer | Promise<Answer>,
  ): Promise<Handled>
}

interface Entry {
  fingerprint: string
  /** Undefined while the first request is being processed. */
  answer: Answer | undefined
}

// The draft's form, a Structured Field String (RFC 8941 §3.3.3): printable ASCII in quotes, with
// `"` and `\` escaped.
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/

/**
 * The `Idempotency-Key` a request carries, if any. Both forms are accepted: the draft's quoted
 * `"8e03…"` and the bare `8e03…` most servers take; both name the same key.
 */
export function requestKey(req: IncomingMessage): string | undefined {
  const raw = req.headers['idempotency-key']
  const v = Array.isArray(raw) ? raw[0] : raw
  const quoted = v === undefined ? null : SF_STRING.exec(v)
  return quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : v
}

const json = (status: number, error: string): Answer => ({
  status,
  body: JSON.stringify({ error }),
})

/** One store of keys and their answers, e.g. per project. Keys are kept for the store's life. */
export function idempotencyStore(): IdempotencyStore {
  const entries = new Map<string, Entry>()
  return {
    async handle(key, body, apply) {
      if (key === undefined) return { outcome: 'applied', answer: await apply() }
      const fingerprint = createHash('sha256').update(body).digest('base64url')
      const earlier = entries.get(key)
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          const answer = json(422, 'Idempotency-Key reused with a different body')
          return { outcome: 'reused', answer }
        }
        if (!earlier.answer) {
          const answer = json(409, 'A request with this Idempotency-Key is still being processed')
          // When to ask again; the draft leaves it open, and a client that honours it waits.
          answer.headers = { 'retry-after': '1' }
          return { outcome: 'in-progress', answer }
        }
        return { outcome: 'replayed', answer: earlier.answer }
      }
      // Claimed before applying: a repeat that arrives while `apply` runs finds it in progress.
      const entry: Entry = { fingerprint, answer: undefined }
      entries.set(key, entry)
      let answer: Answer
      try {
        answer = await apply()
      } catch (error) {
        entries.delete(key)
        throw error
      }
      if (answer.status < 300) entry.answer = answer
      else entries.delete(key)
      return { outcome: 'applied', answer }
    },
  }
}
