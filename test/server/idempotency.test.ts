import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { type Answer, idempotencyStore, requestKey } from '../../examples/server/idempotency.ts'

const withKey = (value: string | undefined) =>
  ({ headers: value === undefined ? {} : { 'idempotency-key': value } }) as IncomingMessage

/** An `apply` that counts its calls and answers when the test says so. */
function work(answer: Answer = { status: 201, body: '{"id":1}' }) {
  const runs: Array<(a?: Answer) => void> = []
  const apply = () => new Promise<Answer>((resolve) => runs.push((a) => resolve(a ?? answer)))
  return { apply, runs }
}

describe("the demo server's Idempotency-Key store (the draft's server side)", () => {
  it('reads the key in the bare form and in the quoted Structured Field form alike', () => {
    expect(requestKey(withKey('8e03-1'))).toBe('8e03-1')
    expect(requestKey(withKey('"8e03-1"'))).toBe('8e03-1')
    expect(requestKey(withKey('"a \\"b\\" \\\\c"'))).toBe('a "b" \\c')
    expect(requestKey(withKey(undefined))).toBeUndefined()
    // Not a valid sf-string (an unescaped quote inside): taken as it is.
    expect(requestKey(withKey('"a"b"'))).toBe('"a"b"')
  })

  it('applies the first request, answers a repeat from the store, and applies it only once', async () => {
    const store = idempotencyStore()
    const { apply, runs } = work()
    const first = store.handle('k', 'body', apply)
    await Promise.resolve()
    runs[0]!()
    expect(await first).toEqual({ outcome: 'applied', answer: { status: 201, body: '{"id":1}' } })
    const again = await store.handle('k', 'body', apply)
    expect(again).toEqual({ outcome: 'replayed', answer: { status: 201, body: '{"id":1}' } })
    expect(runs).toHaveLength(1)
  })

  it('answers 409 to a repeat while the first request is still being processed', async () => {
    const store = idempotencyStore()
    const { apply, runs } = work()
    const first = store.handle('k', 'body', apply)
    const repeat = await store.handle('k', 'body', apply)
    expect(repeat.outcome).toBe('in-progress')
    expect(repeat.answer.status).toBe(409)
    expect(repeat.answer.headers).toEqual({ 'retry-after': '1' })
    runs[0]!()
    await first
    expect((await store.handle('k', 'body', apply)).outcome).toBe('replayed')
    expect(runs).toHaveLength(1)
  })

  it('answers 422 to the same key with a different body, in progress or done', async () => {
    const store = idempotencyStore()
    const { apply, runs } = work()
    const first = store.handle('k', 'one', apply)
    expect((await store.handle('k', 'two', apply)).answer.status).toBe(422)
    runs[0]!()
    await first
    const reused = await store.handle('k', 'two', apply)
    expect(reused.outcome).toBe('reused')
    expect(reused.answer.status).toBe(422)
    expect(runs).toHaveLength(1)
  })

  it('frees the key after a failed answer, so the client may try again', async () => {
    const store = idempotencyStore()
    const { apply, runs } = work()
    const first = store.handle('k', 'body', apply)
    runs[0]!({ status: 400, body: '{}' })
    expect((await first).answer.status).toBe(400)
    const second = store.handle('k', 'body', apply)
    runs[1]!()
    expect(await second).toMatchObject({ outcome: 'applied', answer: { status: 201 } })
  })

  it('replays the headers stored with the answer', async () => {
    const store = idempotencyStore()
    const answer = { status: 202, body: '{}', headers: { location: '/jobs/1' } }
    await store.handle('k', 'body', () => answer)
    expect((await store.handle('k', 'body', () => answer)).answer.headers).toEqual({
      location: '/jobs/1',
    })
  })

  it('applies every request without a key', async () => {
    const store = idempotencyStore()
    let n = 0
    const apply = () => ({ status: 200, body: String(++n) })
    await store.handle(undefined, 'body', apply)
    await store.handle(undefined, 'body', apply)
    expect(n).toBe(2)
  })
})
