/**
 * The event-stream parser against the rules of the HTML standard, § 9.2.6 "Interpreting an event
 * stream" (https://html.spec.whatwg.org/multipage/server-sent-events.html), one test per rule,
 * plus the standard's own examples.
 */
import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { type SseEvent, sseParser } from '../../src/watch/sse.ts'

function parse(...chunks: string[]) {
  const events: SseEvent[] = []
  const ids: string[] = []
  const retries: number[] = []
  const feed = sseParser(
    (id, event) => {
      ids.push(id)
      if (event) events.push(event)
    },
    (ms) => retries.push(ms),
  )
  for (const chunk of chunks) feed(chunk)
  return { events, ids, retries, data: events.map((e) => e.data) }
}

describe('2.11 SSE parsing: lines', () => {
  it('2.11 SSE a line ends with LF, with CR, or with CRLF', () => {
    for (const eol of ['\n', '\r', '\r\n'])
      expect(parse(`data: a${eol}data: b${eol}${eol}`).data).toEqual(['a\nb'])
  })

  it('2.11 SSE CR, LF and CRLF may be mixed in one stream', () => {
    expect(parse('data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r').data).toEqual(['a\nb\nc', 'd'])
  })

  it('2.11 SSE a CRLF split across two chunks is one line break, not two', () => {
    // Were the LF read as a second line end, the blank line would dispatch "a" alone.
    expect(parse('data: a\r', '\ndata: b\r\n\r\n').data).toEqual(['a\nb'])
  })

  it('2.11 SSE a CR at the end of a chunk ends its line at once', () => {
    const { data } = parse('data: a\r\r')
    expect(data).toEqual(['a'])
  })

  it('2.11 SSE a line split across chunks is joined before it is read', () => {
    expect(parse('da', 'ta: he', 'llo\n', '\n').data).toEqual(['hello'])
  })

  test.prop([fc.array(fc.nat(120), { maxLength: 8 })])(
    '2.11 SSE the events do not depend on where the chunks are cut',
    (cuts) => {
      const stream =
        ': comment\r\nid: 1\nevent: add\ndata: {"n":1}\r\rdata: x\r\ndata: y\n\nretry: 50\nid\ndata\n\n'
      const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b)
      const chunks = [0, ...points].map((p, i) => stream.slice(p, points[i] ?? stream.length))
      expect(parse(...chunks)).toEqual(parse(stream))
    },
  )
})

describe('2.11 SSE parsing: fields', () => {
  it('2.11 SSE data lines are joined with LF and the last LF is removed', () => {
    expect(parse('data: YHOO\ndata: +2\ndata: 10\n\n').data).toEqual(['YHOO\n+2\n10'])
  })

  it('2.11 SSE one space after the colon is removed, and only one', () => {
    expect(parse('data:test\n\ndata: test\n\ndata:  test\n\n').data).toEqual([
      'test',
      'test',
      ' test',
    ])
  })

  it('2.11 SSE the value is everything after the first colon', () => {
    expect(parse('data: a: b:c\n\n').data).toEqual(['a: b:c'])
  })

  it('2.11 SSE a line starting with a colon is a comment and is ignored', () => {
    const { events, ids } = parse(': keep-alive\n:\n\n: x\ndata: a\n\n')
    expect(events).toEqual([{ type: 'message', data: 'a', id: '' }])
    expect(ids).toEqual(['', ''])
  })

  it('2.11 SSE a field without a colon has an empty value', () => {
    expect(parse('data\n\ndata\ndata\n\n').data).toEqual(['', '\n'])
  })

  it('2.11 SSE field names are case-sensitive and unknown fields are ignored', () => {
    expect(parse('Data: no\nevent-type: no\nfoo: bar\ndata: yes\n\n').events).toEqual([
      { type: 'message', data: 'yes', id: '' },
    ])
  })

  it("2.11 SSE event sets the type; without one, or with an empty one, it is 'message'", () => {
    expect(parse('event: add\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n').events).toEqual([
      { type: 'add', data: '1', id: '' },
      { type: 'message', data: '2', id: '' },
      { type: 'message', data: '3', id: '' },
    ])
  })

  it('2.11 SSE the last event ID stays until the server sets another', () => {
    const { events } = parse('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n')
    expect(events.map((e) => e.id)).toEqual(['1', '1', '2'])
  })

  it('2.11 SSE an empty id resets the last event ID', () => {
    expect(parse('id: 1\ndata: a\n\nid\ndata: b\n\n').events.map((e) => e.id)).toEqual(['1', ''])
  })

  it('2.11 SSE an id containing NUL is ignored', () => {
    expect(parse('id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n').events.map((e) => e.id)).toEqual([
      '1',
      '1',
    ])
  })

  it('2.11 SSE retry sets the reconnection time when it is ASCII digits only', () => {
    const { retries, events } = parse(
      'retry: 3000\nretry: 12a\nretry: -1\nretry: 1.5\nretry: ٣\nretry:\nretry:  5\nretry: 007\n\n',
    )
    expect(retries).toEqual([3000, 7])
    expect(events).toEqual([])
  })
})

describe('2.11 SSE parsing: dispatch', () => {
  it('2.11 SSE a blank line dispatches the event', () => {
    const { events } = parse('data: a\n')
    expect(events).toEqual([])
    expect(parse('data: a\n', '\n').events).toHaveLength(1)
  })

  it('2.11 SSE a block without data dispatches no event, but its id still counts', () => {
    const { events, ids } = parse('event: add\nid: 7\n\n\ndata: a\n\n')
    expect(ids).toEqual(['7', '7', '7'])
    // The type was reset with the empty data buffer: the next event is a plain message.
    expect(events).toEqual([{ type: 'message', data: 'a', id: '7' }])
  })

  it('2.11 SSE an event the stream ends in the middle of is never dispatched', () => {
    expect(parse('data: a\n\ndata: b\n').data).toEqual(['a'])
    expect(parse('data: a\n\ndata: b').data).toEqual(['a'])
  })

  it("2.11 SSE the standard's example stream", () => {
    const { events } = parse(
      ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n',
    )
    expect(events).toEqual([
      { type: 'message', data: 'first event', id: '1' },
      { type: 'message', data: 'second event', id: '' },
      { type: 'message', data: ' third event', id: '' },
    ])
  })

  it('2.11 SSE non-ASCII text passes through', () => {
    expect(parse('data: Grüße 👋\n\n').data).toEqual(['Grüße 👋'])
  })
})
