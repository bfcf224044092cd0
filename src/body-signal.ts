/**
 * Keeps a caller's signal linked to the attempt that answered it until the response body is
 * done, so aborting after the response arrived aborts the body read, as with `fetch`.
 *
 * One listener per caller signal, whatever the number of responses: an app that passes one
 * long-lived signal to every call would otherwise pile up listeners (and Node's "possible
 * EventTarget memory leak" warning). Each link holds the response weakly, so links of collected
 * responses are pruned as the set grows; an abort reaches every link left, since aborting an
 * attempt that is over costs nothing. Not its `body`: in WebKit, once `body` has been read, an
 * aborted read rejects with a TypeError instead of fetch's AbortError, and a body still being
 * read may outlive its Response object. No `AbortSignal.any` (≈17 µs in Node), no timer, nothing
 * at all for calls without a signal.
 */

type Link = [attempt: AbortController, response: WeakRef<Response>]

interface Links {
  set: Set<Link>
  /** Prune dead links when the set grows past this, so a long-lived signal stays O(1) per call. */
  limit: number
}

/** One queue's links; `link` aborts `attempt` when `signal` aborts, while `response` is alive. */
export function bodyLinks() {
  const bySignal = new WeakMap<AbortSignal, Links>()
  return (signal: AbortSignal, attempt: AbortController, response: Response): void => {
    if (signal.aborted || typeof WeakRef === 'undefined') return
    let links = bySignal.get(signal)
    if (!links) {
      const made: Links = { set: new Set(), limit: 16 }
      bySignal.set(signal, (links = made))
      signal.addEventListener(
        'abort',
        () => {
          for (const [ctrl] of made.set) ctrl.abort(signal.reason)
          made.set.clear()
        },
        { once: true },
      )
    } else if (links.set.size >= links.limit) {
      for (const link of links.set) if (!link[1].deref()) links.set.delete(link)
      links.limit = Math.max(16, links.set.size * 2)
    }
    links.set.add([attempt, new WeakRef(response)])
  }
}
