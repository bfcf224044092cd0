import { noop } from './http.ts'
import type { Item, Waiter } from './item.ts'

/** A rejected promise that never counts as unhandled. */
export const handled = (error: unknown): Promise<never> => {
  const p = Promise.reject(error)
  p.catch(noop)
  return p
}

/**
 * A copy for one more reader. clone() throws on a body a transport already read or locked, and a
 * look-alike's may throw anyway: then there is nothing to copy, and each reader gets the original.
 */
export function copy(res: Response): Response {
  try {
    return res.clone()
  } catch {
    return res
  }
}

/**
 * The first caller's promise and the one function that settles it, kept on the item as two
 * fields. A rejection goes through it too (see `refuse`): a kept `reject` would cost every
 * pending item 56 bytes, an array of the three 72 more.
 */
export function waitOn(it: Item): Promise<Response> {
  return (it._promise = new Promise<Response>((resolve) => {
    it._resolve = resolve
  }))
}

/**
 * Rejects a caller's promise through its `resolve`: settled with a rejected promise, it rejects
 * with the same reason. It is marked handled, since a fire-and-forget call must not end in an
 * unhandled rejection (failures also arrive as events); marking it only now saves a derived
 * promise per item.
 */
function refuse([promise, settle]: Waiter, error: unknown) {
  promise.catch(noop)
  settle(handled(error))
}

/** Takes every caller waiting on the item: those of superseded items first, its own last. */
export function waiters(it: Item): Waiter[] {
  const w = it._rare?._more ?? []
  if (it._promise) w.push([it._promise, it._resolve!])
  it._promise = it._resolve = undefined
  if (it._rare) it._rare._more = undefined
  return w
}

export function resolveAll(it: Item, res: Response) {
  if (!it._rare?._more) {
    it._resolve?.(res)
    it._promise = it._resolve = undefined
    return
  }
  const w = waiters(it)
  // Every waiter gets its own body: the superseded callers as well as the last one.
  for (let i = 0; i < w.length; i++) w[i]![1](i < w.length - 1 ? copy(res) : res)
}

export function rejectAll(it: Item, error: unknown) {
  for (const w of waiters(it)) refuse(w, error)
}

/**
 * The replacing item takes over the callers of the one it replaces (DESIGN §2.3). It adopts the
 * old list instead of copying it, so a long run of replacements stays O(1) each. Each old caller
 * can still abort its own call; the replacing item goes on for the others.
 */
export function adopt(it: Item, old: Item) {
  const { _promise: promise, _resolve: settle } = old
  // Both hold a dedupe key, which lives in their rare fields.
  const r = it._rare!
  const signal = old._rare!._signal
  r._more = r._more ? r._more.concat(waiters(old)) : waiters(old)
  if (promise && signal)
    signal.addEventListener('abort', () => refuse([promise, settle!], signal.reason), {
      once: true,
    })
}
