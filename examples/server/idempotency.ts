/**
 * The demo server's `Idempotency-Key` handling, for any endpoint that applies a write: the first
 * request with a key is applied and its answer stored; a repeat of it gets the stored answer
 * instead of a second copy; the same key with a different body is refused.
 *
 *   const idempotency = idempotencyStore()
 *   const { outcome, answer } = await idempotency.handle(requestKey(req), body, () => apply(body))
 *   send(answer.status, answer.body)
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** An endpoint's answer to a write, as it is stored under the write's key. */
export interface Answer {
  status: number
  body: string
}

/**
 * What became of one request:
 * - `applied`: the write was applied now (the first request with its key, or one without a key);
 * - `replayed`: a repeat of a write already answered: `answer` is the stored answer;
 * - `reused`: the key was used before for a different body: `answer` is a 422.
 */
export interface Handled {
  outcome: 'applied' | 'replayed' | 'reused'
  answer: Answer
}

export interface IdempotencyStore {
  /**
   * Applies a write once per key. `apply` runs only for a key not seen before (or no key); a
   * successful (2xx) answer is stored, so a later repeat is answered from the store.
   */
  handle(
    key: string | undefined,
    body: string,
    apply: () => Answer | Promise<Answer>,
  ): Promise<Handled>
}

interface Stored extends Answer {
  fingerprint: string
}

/** The `Idempotency-Key` a request carries, if any. */
export function requestKey(req: IncomingMessage): string | undefined {
  const v = req.headers['idempotency-key']
  return Array.isArray(v) ? v[0] : v
}

/** One store of keys and their answers, e.g. per project. */
export function idempotencyStore(): IdempotencyStore {
  const stored = new Map<string, Stored>()
  return {
    async handle(key, body, apply) {
      if (key === undefined) return { outcome: 'applied', answer: await apply() }
      const fingerprint = createHash('sha256').update(body).digest('base64url')
      // A repeated key gets the first answer. The demo's writes apply synchronously, so no second
      // copy can slip in.
      const earlier = stored.get(key)
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          const error = { error: 'Idempotency-Key reused with a different body' }
          return { outcome: 'reused', answer: { status: 422, body: JSON.stringify(error) } }
        }
        return { outcome: 'replayed', answer: { status: earlier.status, body: earlier.body } }
      }
      const answer = await apply()
      if (answer.status < 300) stored.set(key, { ...answer, fingerprint })
      return { outcome: 'applied', answer }
    },
  }
}
