type Send = (url: string, init: { method?: string; body?: string }) => Promise<Response>

interface Entry {
  key: string
  url: string
  init: { method?: string; body?: string }
  waiters: { resolve: (r: Response) => void; reject: (e: unknown) => void }[]
}

/**
 * A model of the original xhrQueue, the code fetch-queue replaces: one serial lane for reads and
 * writes alike, a dedupe key made of the URL alone (so a queued GET replaces a queued POST to the
 * same URL, and the replaced caller gets the GET's response), and no retry.
 */
export class XhrQueue {
  #items: Entry[] = []
  #busy = false

  constructor(readonly send: Send) {}

  add(url: string, init: { method?: string; body?: string } = {}): Promise<Response> {
    const key = url
    const index = this.#items.findIndex((e) => e.key === key)
    const waiters = index >= 0 ? this.#items.splice(index, 1)[0]!.waiters : []
    return new Promise((resolve, reject) => {
      waiters.push({ resolve, reject })
      this.#items.push({ key, url, init, waiters })
      this.#next()
    })
  }

  #next(): void {
    if (this.#busy) return
    const entry = this.#items.shift()
    if (!entry) return
    this.#busy = true
    this.send(entry.url, entry.init)
      .then(
        (r) => {
          for (const [i, w] of entry.waiters.entries()) w.resolve(i ? r.clone() : r)
        },
        (e) => {
          for (const w of entry.waiters) w.reject(e)
        },
      )
      .finally(() => {
        this.#busy = false
        this.#next()
      })
  }
}
