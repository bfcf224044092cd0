import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/queue.ts'
import { watch } from '../../src/watch/watch.ts'
import { fakeOnline } from '../support/online.ts'
import { track, url } from '../support/queue.ts'

const queue = () =>
  track(createQueue({ online: fakeOnline(), transport: () => new Promise(() => {}) }))

describe('2.11 options', () => {
  it.each([
    ['interval', -1, 'a number ≥ 0', '-1'],
    ['interval', '250', 'a number ≥ 0', '"250"'],
    ['interval', Number.NaN, 'a number ≥ 0', 'NaN'],
    ['lane', 1, 'a string', '1'],
    ['whenHidden', 'stop', "'pause' or 'continue'", '"stop"'],
    ['parse', 'json', 'a function', '"json"'],
    ['reduce', {}, 'a function', '[object Object]'],
    ['compare', 'deep', "'json', 'text' or a function", '"deep"'],
    ['init', 'GET', 'an object', '"GET"'],
    ['init', null, 'an object', 'null'],
    ['isVisible', true, 'a function', 'true'],
  ])(
    '2.11 a bad `%s` (%s) throws a TypeError naming it, as createQueue does',
    (name, value, expected, got) => {
      expect(() => watch(queue(), url('/s'), { [name]: value })).toThrow(
        new TypeError(`fetch-queue: option \`${name}\` must be ${expected}, got ${got}`),
      )
    },
  )

  it('2.11 invalid headers throw the TypeError fetch would, before anything is sent', () => {
    const q = queue()
    expect(() => watch(q, url('/s'), { init: { headers: { 'bad header': 'x' } } })).toThrow(
      TypeError,
    )
    expect(q.getSnapshot().items).toEqual([])
  })

  it('2.11 a URL that is not one throws a TypeError at the call', () => {
    const q = queue()
    expect(() => watch(q, 'http://[::1', {})).toThrow(
      new TypeError('fetch-queue: watch() needs a valid URL, got http://[::1'),
    )
    expect(() => watch(q, 42 as unknown as string)).toThrow(/needs a valid URL, got 42/)
    expect(() => watch(q, new URL(url('/ok'))).close()).not.toThrow()
  })

  it('2.11 a queue that createQueue did not make is refused', () => {
    expect(() => watch({ fetch } as never, url('/s'))).toThrow(
      new TypeError('fetch-queue: expected a queue made by createQueue()'),
    )
  })

  it('2.11 every option is optional', () => {
    const w = watch(queue(), url('/s'))
    expect(w.getSnapshot().status).toBe('connecting')
    w.close()
  })
})
