/**
 * Keeps a caller's signal linked to the attempt that answered it until the response body is
 * done, so aborting after the response arrived aborts the body read, as with `fetch`.
 *
 * One listener per caller signal, whatever the number of responses: an app that passes one
 * long-lived signal to every call would otherwise pile up listeners (and Node's "possible
 * EventTarget memory leak" warning). Each link holds the body stream weakly: a body that was read
 * to the end, or dropped, is collected, and its link pruned. No `AbortSignal.any` (≈17 µs in
 * Node), no timer, nothing at all for calls without a signal.
 */

type Link = [attempt: AbortController, body: WeakRef<ReadableStream>]

interface Links {
  set: Set<Link>
  /** Prune dead links when the set grows past this, so a long-lived signal stays O(1) per call. */
  limit: number
}

/** One queue's links; `link` aborts `attempt` when `signal` aborts, for as long as `body` is alive. */
export function bodyLinks() {
  const bySignal = new WeakMap<AbortSignal, Links>()
  return (signal: AbortSignal, attempt: AbortController, body: ReadableStream | null): void => {
    if (!body || signal.aborted || typeof WeakRef === 'undefined') return
    let links = bySignal.get(signal)
    if (!links) {
      const made: Links = { set: new Set(), limit: 16 }
      bySignal.set(signal, (links = made))
      signal.addEventListener(
        'abort',
        () => {
          for (const [ctrl, stream] of made.set) if (stream.deref()) ctrl.abort(signal.reason)
          made.set.clear()
        },
        { once: true },
      )
    } else if (links.set.size >= links.limit) {
      for (const link of links.set) if (!link[1].deref()) links.set.delete(link)
      links.limit = Math.max(16, links.set.size * 2)
    }
    links.set.add([attempt, new WeakRef(body)])
  }
}
