import { describe, expect, it } from 'vitest'
import { same } from '../../src/watch/equal.ts'

describe("2.11 compare: 'json', structural equality of parsed JSON", () => {
  it.each([
    [1, 1, true],
    ['a', 'a', true],
    [null, null, true],
    [Number.NaN, Number.NaN, true],
    [[], [], true],
    [{}, {}, true],
    [{ a: 1, b: [1, 2, { c: null }] }, { b: [1, 2, { c: null }], a: 1 }, true],
    [1, '1', false],
    [0, -0, false],
    [null, {}, false],
    [{}, null, false],
    [[], {}, false],
    [{ 0: 'a' }, ['a'], false],
    [[1, 2], [2, 1], false],
    [[1], [1, 1], false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1 }, false],
    [{ a: undefined }, { b: undefined }, false],
    [{ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, false],
  ])('2.11 same(%j, %j) is %s', (a, b, expected) => {
    expect(same(a, b)).toBe(expected)
    expect(same(b, a)).toBe(expected)
  })

  it('2.11 anything but plain objects and arrays equals only itself', () => {
    const map = new Map([[1, 2]])
    expect(same(map, new Map())).toBe(false)
    expect(same(map, map)).toBe(true)
    expect(same(new Date(1), new Date(2))).toBe(false)
    expect(same(new Set([1]), new Set())).toBe(false)
    class Point {
      constructor(readonly x: number) {}
    }
    expect(same(new Point(1), { x: 1 })).toBe(false)
  })
})
