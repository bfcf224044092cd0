/** One server-sent event, as the HTML standard dispatches it. */
export interface SseEvent {
  /** The `event:` field; `'message'` when the server gave none. */
  readonly type: string
  /** The `data:` lines, joined with `\n`. */
  readonly data: string
  /** The last event ID at the time of this event (`id:`), or `''`. */
  readonly id: string
}

/**
 * What the parser reports. `dispatch` runs at every blank line with the stream's last event ID;
 * `event` is undefined when the block had no `data:` line (the standard dispatches nothing then,
 * but the ID still counts, so a reconnect resumes after it).
 */
export type SseSink = (id: string, event?: SseEvent) => void

/**
 * A streaming parser for `text/event-stream`, fed decoded text in chunks of any size. A leading BOM
 * is the decoder's job (`TextDecoder` drops one), as the standard decodes before it parses.
 *
 * @example
 * const feed = sseParser((id, event) => event && console.log(event.type, event.data), setRetry)
 * feed('event: add\ndata: {"n":1}\n\n')
 */
export function sseParser(dispatch: SseSink, retry: (ms: number) => void): (chunk: string) => void {
  // A CR alone, an LF alone or a CRLF ends a line (HTML § 9.2.6 "Interpreting an event stream").
  const eol = /\r\n?|\n/g
  let rest = ''
  let data: string | undefined
  let type = ''
  let id = ''
  // The last chunk ended in a CR: an LF starting the next one belongs to that line break.
  let cr = false

  const line = (text: string) => {
    if (!text) {
      dispatch(id, data === undefined ? undefined : { type: type || 'message', data, id })
      data = undefined
      type = ''
      return
    }
    const colon = text.indexOf(':')
    // A comment (a line starting with a colon) comes out as a field named '', which is ignored.
    const field = colon < 0 ? text : text.slice(0, colon)
    const value = colon < 0 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1))
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`
    else if (field === 'event') type = value
    else if (field === 'id') {
      if (!value.includes('\0')) id = value
    } else if (field === 'retry' && /^\d+$/.test(value)) retry(+value)
  }

  return (chunk) => {
    if (!chunk) return
    if (cr && chunk[0] === '\n') chunk = chunk.slice(1)
    const text = rest + chunk
    let start = 0
    // `rest` holds no line break, so the search resumes where the last one stopped: a long line
    // arriving in many small chunks costs linear time, not quadratic.
    eol.lastIndex = rest.length
    for (let m = eol.exec(text); m; m = eol.exec(text)) {
      line(text.slice(start, m.index))
      start = eol.lastIndex
    }
    cr = text[text.length - 1] === '\r'
    rest = text.slice(start)
  }
}
