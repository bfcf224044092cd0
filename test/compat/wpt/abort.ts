/**
 * Abort behaviours of `fetch`, after the web-platform tests in fetch/api/abort/general.any.js
 * (rewritten here, not copied). Each runs on plain fetch, then on the queue.
 */
import { describe, expect, it } from 'vitest'
import { arrived, closed, type Env, rejection, state, subjects, token } from './env.ts'

const BODY_METHODS = ['arrayBuffer', 'blob', 'formData', 'json', 'text'] as const

export function abortBehaviours(env: Env) {
  for (const subject of subjects()) {
    describe(`abort (WPT fetch/api/abort/general.any.js): ${subject.name}`, () => {
      it('an aborted signal rejects with AbortError, before the next microtask', async () => {
        const f = subject.make()
        const log: string[] = []
        await Promise.all([
          f(`${env.base}/data.json`, { signal: AbortSignal.abort() }).then(
            () => log.push('resolved'),
            (e: Error) => log.push(e.name),
          ),
          Promise.resolve().then(() => log.push('next-microtask')),
        ])
        expect(log).toContain('AbortError')
        // Node's fetch rejects a few microtasks late; the browsers' and the queue's, at once.
        if (subject.name !== 'fetch') expect(log).toEqual(['AbortError', 'next-microtask'])
      })

      it('the signal of a Request input is honoured', async () => {
        const f = subject.make()
        const request = new Request(`${env.base}/data.json`, { signal: AbortSignal.abort() })
        expect(await rejection(f(request))).toBe('AbortError')
        const copy = new Request(request)
        expect(await rejection(f(copy))).toBe('AbortError')
        const overridden = new Request(new Request(`${env.base}/data.json`), {
          signal: AbortSignal.abort(),
        })
        expect(await rejection(f(overridden))).toBe('AbortError')
      })

      it('the Request’s signal survives unrelated init fields, and `signal: null` removes it', async () => {
        const f = subject.make()
        const request = () => new Request(`${env.base}/echo`, { signal: AbortSignal.abort() })
        expect(await rejection(f(request(), { method: 'POST' }))).toBe('AbortError')
        const answer = await f(request(), { signal: null })
        expect((await answer.json()).method).toBe('GET')
      })

      it('a Request is still used when its signal was aborted before the call', async () => {
        const f = subject.make()
        const request = new Request(`${env.base}/echo`, {
          signal: AbortSignal.abort(),
          method: 'POST',
          body: 'foo',
          headers: { 'content-type': 'text/plain' },
        })
        await f(request).catch(() => {})
        expect(request.bodyUsed).toBe(true)
      })

      it('an already aborted signal makes no request, however many calls use it', async () => {
        const f = subject.make()
        const signal = AbortSignal.abort()
        const keys = [token(), token(), token()]
        const names = await Promise.all(
          keys.map((key) => rejection(f(`${env.base}/hold?key=${key}`, { signal }))),
        )
        expect(names).toEqual(['AbortError', 'AbortError', 'AbortError'])
        await (await fetch(`${env.base}/data.json`)).json()
        for (const key of keys) expect(await state(env, key)).toBeNull()
      })

      it('a signal aborts later calls after an earlier call with it succeeded', async () => {
        const f = subject.make()
        const controller = new AbortController()
        await (await f(`${env.base}/data.json`, { signal: controller.signal })).json()
        controller.abort()
        const names = await Promise.all(
          [1, 2, 3].map(() =>
            rejection(f(`${env.base}/hold?key=${token()}`, { signal: controller.signal })),
          ),
        )
        expect(names).toEqual(['AbortError', 'AbortError', 'AbortError'])
      })

      it('aborting while the request is on the wire rejects and closes the connection', async () => {
        const f = subject.make()
        const key = token()
        const controller = new AbortController()
        const call = rejection(f(`${env.base}/hold?key=${key}`, { signal: controller.signal }))
        await arrived(env, key)
        controller.abort()
        expect(await call).toBe('AbortError')
        await closed(env, key)
      })

      for (const method of BODY_METHODS)
        it(`response.${method}() rejects with AbortError when aborted after the response`, async () => {
          const f = subject.make()
          const controller = new AbortController()
          const response = await f(`${env.base}/data.json`, { signal: controller.signal })
          controller.abort()
          expect(await rejection(response[method]())).toBe('AbortError')
        })

      it('aborting after the response closes the connection of a body still streaming', async () => {
        const f = subject.make()
        const key = token()
        const controller = new AbortController()
        const response = await f(`${env.base}/slow?key=${key}`, { signal: controller.signal })
        expect(await state(env, key)).toBe('open')
        const body = response.text()
        controller.abort()
        expect(await rejection(body)).toBe('AbortError')
        await closed(env, key)
      })

      it('the body stream errors once aborted, before and after a read', async () => {
        const f = subject.make()
        for (const readFirst of [false, true]) {
          const key = token()
          const controller = new AbortController()
          const response = await f(`${env.base}/slow?key=${key}`, { signal: controller.signal })
          const reader = response.body!.getReader()
          if (readFirst) await reader.read()
          controller.abort()
          expect(await rejection(reader.read())).toBe('AbortError')
          expect(await rejection(reader.closed)).toBe('AbortError')
          await closed(env, key)
        }
      })
    })
  }
}
