import { noop } from '../http.ts'
import { type SseEvent, sseParser } from './sse.ts'

/** Whether a response is a server-sent event stream (`text/event-stream`, any parameters). */
export const isEventStream = (response: Response): boolean =>
  /^text\/event-stream\s*(;|$)/i.test(response.headers.get('content-type') ?? '')

// Header values are byte strings; an ID goes out as its UTF-8 bytes, as `EventSource` sends it.
const bytes = (id: string) => String.fromCharCode(...new TextEncoder().encode(id))

/**
 * One event stream across its reconnects: the last event ID, sent back as `Last-Event-ID`, and
 * the body being read, to cancel it. `onRetry` hears the server's `retry:`.
 */
export function streamer(onEvent: (event: SseEvent) => void, onRetry: (ms: number) => void) {
  let id = ''
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined

  return {
    condition(headers: Headers) {
      if (id) headers.set('last-event-id', bytes(id))
    },
    /** Reads the body to its end. Resolves when the server ends it, rejects when it drops. */
    async read(response: Response) {
      const r = (reader = response.body!.getReader())
      // Decoding drops one leading BOM, as the standard says a parser must.
      const decoder = new TextDecoder()
      const feed = sseParser((last, event) => {
        id = last
        if (event) onEvent(event)
      }, onRetry)
      for (let c = await r.read(); !c.done; c = await r.read())
        feed(decoder.decode(c.value, { stream: true }))
    },
    cancel() {
      reader?.cancel().catch(noop)
    },
  }
}
