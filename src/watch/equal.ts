/**
 * Structural equality of two parsed JSON values: the same primitives, arrays of equal items, and
 * plain objects with the same keys and equal values (in any key order). Anything else, a `Map` or
 * a class instance that a `reduce` made, equals only itself.
 */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false
  const type = a.constructor
  if (type !== b.constructor || (type !== Object && type !== Array)) return false
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (k) =>
        Object.hasOwn(b, k) &&
        same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  )
}
