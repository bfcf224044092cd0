import { noop } from './http.ts'
import type { Item, Waiter } from './item.ts'

/** A rejected promise that never counts as unhandled. */
export const handled = (error: unknown): Promise<never> => {
  const p = Promise.reject(error)
  p.catch(noop)
  return p
}

/** clone() throws on a body a transport already read or locked: then there is nothing to copy. */
export const copy = (res: Response): Response =>
  res.bodyUsed || res.body?.locked ? res : res.clone()

/**
 * The first caller's promise, kept on the item with its resolvers as three fields: an array of
 * them would cost every pending item 72 bytes more.
 */
export function waitOn(it: Item): Promise<Response> {
  return (it.promise = new Promise<Response>((resolve, reject) => {
    it.resolve = resolve
    it.reject = reject
  }))
}

/** Takes every caller waiting on the item: those of superseded items first, its own last. */
export function waiters(it: Item): Waiter[] {
  const w = it._more ?? []
  if (it.promise) w.push([it.promise, it.resolve!, it.reject!])
  it.promise = it.resolve = it.reject = it._more = undefined
  return w
}

export function resolveAll(it: Item, res: Response) {
  if (!it._more) {
    it.resolve?.(res)
    it.promise = it.resolve = it.reject = undefined
    return
  }
  const w = waiters(it)
  // Every waiter gets its own body: the superseded callers as well as the last one.
  for (let i = 0; i < w.length; i++) w[i]![1](i < w.length - 1 ? copy(res) : res)
}

export function rejectAll(it: Item, error: unknown) {
  for (const [promise, , reject] of waiters(it)) {
    // A fire-and-forget call must not end in an unhandled rejection: failures also arrive as
    // events. Marking the promise handled only now saves a derived promise per item.
    promise.catch(noop)
    reject(error)
  }
}

/**
 * The replacing item takes over the callers of the one it replaces (DESIGN §2.3). It adopts the
 * old list instead of copying it, so a long run of replacements stays O(1) each. Each old caller
 * can still abort its own call; the replacing item goes on for the others.
 */
export function adopt(it: Item, old: Item) {
  const { promise, reject } = old
  it._more = it._more ? it._more.concat(waiters(old)) : waiters(old)
  const signal = old.signal
  if (promise && signal)
    signal.addEventListener(
      'abort',
      () => {
        promise.catch(noop)
        reject!(signal.reason)
      },
      { once: true },
    )
}
