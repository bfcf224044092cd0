/**
 * Input that `fetch` refuses, after the web-platform tests in fetch/api/request/request-error.js
 * and request-error.any.js, fetch/api/abort/general.any.js ("TypeError from request constructor
 * takes priority"), and fetch/api/basic/scheme-about.any.js and scheme-data.any.js (the URLs
 * fetch rejects). Rewritten here, not copied. Plain fetch is the control; the queue must reject
 * the call with a TypeError at once, send nothing, hold nothing, and keep its lane free.
 */
import { describe, expect, it } from 'vitest'
import { type Env, state, subjects, token } from './env.ts'

type Case = [name: string, args: (env: Env, key: string) => [string, RequestInit?]]

const at = (env: Env, key: string) => `${env.base}/hold?key=${key}`
const withCredentials = (env: Env, key: string) => {
  const u = new URL(at(env, key))
  u.username = 'user'
  u.password = 'pass'
  return u.href
}

export const BAD_INPUT: Case[] = [
  [
    'the init’s window is not null',
    (env, key) => [at(env, key), { window: 'http://test.url' } as never],
  ],
  ['the URL is not valid', () => ['http://:not a valid URL']],
  ['the URL has credentials', (env, key) => [withCredentials(env, key)]],
  ['mode is navigate', (env, key) => [at(env, key), { mode: 'navigate' }]],
  [
    'the referrer is not a valid URL',
    (env, key) => [at(env, key), { referrer: 'http://:not a valid URL' }],
  ],
  ['the method is not a token', (env, key) => [at(env, key), { method: 'IN VALID' }]],
  ['the method is forbidden', (env, key) => [at(env, key), { method: 'TRACE' }]],
  [
    'no-cors with a method other than GET, HEAD or POST',
    (env, key) => [at(env, key), { mode: 'no-cors', method: 'PUT' }],
  ],
  [
    'only-if-cached with mode cors',
    (env, key) => [at(env, key), { mode: 'cors', cache: 'only-if-cached' }],
  ],
  ['only-if-cached without a mode', (env, key) => [at(env, key), { cache: 'only-if-cached' }]],
  [
    'only-if-cached with mode no-cors',
    (env, key) => [at(env, key), { mode: 'no-cors', cache: 'only-if-cached' }],
  ],
  ...(['referrerPolicy', 'mode', 'credentials', 'cache', 'redirect'] as const).map(
    (field): Case => [`a bad ${field} value`, (env, key) => [at(env, key), { [field]: 'BAD' }]],
  ),
  [
    'a misspelt credentials value',
    (env, key) => [at(env, key), { credentials: 'includes' as never }],
  ],
]

/** URLs the Request constructor takes but fetch then rejects (fetch/api/basic/scheme-*.any.js). */
export const BAD_URLS: Case[] = [
  ['an about:blank URL (GET)', () => ['about:blank']],
  ['an about:blank URL (POST)', () => ['about:blank', { method: 'POST' }]],
  ['an about:config URL', () => ['about:config']],
  ['a data: URL without a comma', () => ['data:notAdataUrl.com']],
]

export function requestErrorBehaviours(env: Env) {
  for (const subject of subjects()) {
    describe(`input fetch refuses (WPT fetch/api/request/request-error.js): ${subject.name}`, () => {
      // Chromium takes a non-null `window` (the standard says TypeError); the queue refuses it.
      const lenient = (name: string) =>
        subject.name === 'fetch' && name.includes('window') && typeof document !== 'undefined'

      it.each([...BAD_INPUT, ...BAD_URLS])(
        '%s: a TypeError at the call, nothing sent',
        async (name, args) => {
          if (lenient(name)) return
          const f = subject.make()
          const key = token()
          const [input, init] = args(env, key)
          const error = await f(input, init).then(
            () => undefined,
            (e: unknown) => e,
          )
          expect(error).toBeInstanceOf(TypeError)
          expect(subject.queue?.getSnapshot().pending ?? 0).toBe(0)
          expect(await state(env, key)).toBeNull()
        },
      )

      it.each(BAD_INPUT)(
        '%s: the TypeError wins over an already aborted signal',
        async (name, args) => {
          if (lenient(name)) return
          const f = subject.make()
          const [input, init] = args(env, token())
          const error = await f(input, { ...init, signal: AbortSignal.abort() }).catch((e) => e)
          expect(error).toBeInstanceOf(TypeError)
        },
      )

      it('only-if-cached with mode same-origin is accepted', () => {
        const f = subject.make()
        const url = `${env.base}/data.json`
        // Whether the cache has it is up to the browser; the call itself must not be refused.
        const call = f(url, { cache: 'only-if-cached', mode: 'same-origin' })
        call.catch(() => {})
        expect(call).toBeInstanceOf(Promise)
        subject.queue?.dispose()
      })

      it('a refused call leaves the lane free for the next write', async () => {
        const f = subject.make()
        await f(`${env.base}/echo`, { method: 'PUT', credentials: 'includes' as never }).catch(
          () => {},
        )
        const response = await f(`${env.base}/echo`, { method: 'POST', body: 'next' })
        expect((await response.json()).body).toBe('next')
      })
    })
  }
}
