import { describe, expect, it } from 'vitest'
import type { SpoolErrorCode } from '../../src/index.ts'
import { RECORD_VERSION } from '../../src/spool/record.ts'
import { checkRecord } from '../../src/spool/validate.ts'
import { ORIGIN, record } from './support/records.ts'

const options = { origin: undefined, allowed: undefined, redact: [] }

const codeOf = (text: string, o: Parameters<typeof checkRecord>[1] = options) => {
  try {
    checkRecord(text, o)
    return 'ok'
  } catch (error) {
    return (error as { code: SpoolErrorCode }).code
  }
}

const json = (over: object) => JSON.stringify({ ...record(), ...over })

const messageOf = (text: string) => {
  try {
    checkRecord(text, options)
  } catch (error) {
    return (error as Error).message
  }
}

describe('2.7 validation of stored records', () => {
  it('2.7 a valid record comes back as a fresh object with only the known fields', () => {
    const r = record({ meta: { a: [1, { b: null }] }, init: { mode: 'cors', keepalive: true } })
    const out = checkRecord(JSON.stringify(r), options)
    expect(out).toEqual(r)
    expect(out).not.toBe(r)
  })

  // The message says what was wrong: the spoolerror event carries it to whoever debugs a lost write.
  const invalid: [string, string, string][] = [
    ['not JSON', '{"v":1,', 'not JSON'],
    ['a JSON string', '"hello"', 'not an object'],
    ['null', 'null', 'not an object'],
    ['an array', '[1]', 'not an object'],
    ['no version', json({ v: undefined }), 'format version'],
    ['version 0', json({ v: 0 }), 'format version'],
    ['version as a string', json({ v: '1' }), 'format version'],
    ['a fractional version', json({ v: 2.5 }), 'format version'],
    ['an empty id', json({ id: '' }), 'bad id'],
    ['a numeric id', json({ id: 5 }), 'bad id'],
    ['a huge id', json({ id: 'x'.repeat(201) }), 'bad id'],
    ['a negative seq', json({ seq: -1 }), 'bad seq'],
    ['a fractional attempts', json({ attempts: 1.5 }), 'bad attempts'],
    ['kind other', json({ kind: 'other' }), 'bad kind'],
    ['a method with a space', json({ method: 'PO ST' }), 'bad method'],
    ['method CONNECT', json({ method: 'CONNECT' }), 'bad method'],
    ['method trace', json({ method: 'trace' }), 'bad method'],
    ['at as a string', json({ at: '2024' }), 'bad at'],
    ['a relative url', json({ url: '/items' }), 'url'],
    ['a javascript: url', json({ url: 'javascript:alert(1)' }), 'bad url protocol'],
    ['a data: url', json({ url: 'data:text/plain,hi' }), 'bad url protocol'],
    ['a file: url', json({ url: 'file:///etc/passwd' }), 'bad url protocol'],
    ['headers as an object', json({ headers: { a: 'b' } }), 'bad headers'],
    ['a header triple', json({ headers: [['a', 'b', 'c']] }), 'bad header name'],
    ['a header name with a colon', json({ headers: [['a:b', 'c']] }), 'bad header name'],
    [
      'a header value with CRLF',
      json({ headers: [['a', 'b\r\nx-injected: 1']] }),
      'bad header value',
    ],
    ['a header value that is a number', json({ headers: [['a', 1]] }), 'bad header value'],
    ['a body of an unknown type', json({ body: { t: 'blob', v: '' } }), 'bad body'],
    ['a body value that is not a string', json({ body: { t: 'text', v: 5 } }), 'bad body'],
    ['bytes that are not base64', json({ body: { t: 'bytes', v: 'not base64!' } }), 'body'],
    [
      'a body on a GET',
      json({ method: 'GET', kind: 'read', body: { t: 'text', v: 'x' } }),
      'bad body on a GET or HEAD',
    ],
    ['a key with a newline', json({ key: 'a\nb' }), 'bad key'],
    ['a keyHeader that is not a token', json({ keyHeader: 'idempotency key' }), 'bad keyHeader'],
    ['a keyHeader without a key', json({ key: undefined }), 'bad keyHeader'],
    ['a keyHeader that names a credential', json({ keyHeader: 'Authorization' }), 'bad keyHeader'],
    ['an unknown keyFormat', json({ keyFormat: 'quoted' }), 'bad keyFormat'],
    [
      'an sf-string key that is not printable ASCII',
      json({ key: 'clé', keyFormat: 'sf-string' }),
      'bad keyFormat',
    ],
    ['init with an unknown field', json({ init: { signal: 'x' } }), 'bad init.signal'],
    ['init with a number', json({ init: { mode: 1 } }), 'bad init.mode'],
    ['__proto__ at the top', '{"__proto__":{"polluted":true},"v":1}', 'key __proto__'],
    [
      '__proto__ in meta',
      json({ meta: JSON.parse('{"__proto__":{"admin":true}}') }),
      'key __proto__',
    ],
    [
      'constructor in meta',
      json({ meta: { constructor: { prototype: { x: 1 } } } }),
      'key prototype',
    ],
    ['prototype in init', json({ init: { prototype: 'x' } }), 'key prototype'],
  ]
  it.each(invalid)('2.7 sets aside a record with %s (code invalid), saying why', (_, text, why) => {
    expect(codeOf(text)).toBe('invalid')
    expect(messageOf(text)).toBe(`Stored record set aside: ${why}`)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('2.7 unknown fields are dropped, never passed on', () => {
    const r = record()
    const out = checkRecord(
      // A `then` field would make the record a thenable if it were passed on.
      JSON.stringify({ ...r, extra: 1, body: { t: 'text', v: 'b', x: 1 } }).replace(
        /^\{/,
        '{"then":"x",',
      ),
      options,
    )
    expect(out).toEqual({ ...r, body: { t: 'text', v: 'b' } })
  })

  it('2.9 a record of format 1 (before lanes) is read, into the default lane', () => {
    const r = checkRecord(json({ v: 1 }), options)
    expect(r.v).toBe(RECORD_VERSION)
    expect(r.lane).toBeUndefined()
  })

  it('2.5 keyHeader is read in lower case and keyFormat kept; format 2 had neither: ignored', () => {
    const r = checkRecord(json({ keyHeader: 'X-Request-Key', keyFormat: 'sf-string' }), options)
    expect(r).toMatchObject({ keyHeader: 'x-request-key', keyFormat: 'sf-string' })
    const old = checkRecord(json({ v: 2, keyHeader: 'x-other', keyFormat: 'sf-string' }), options)
    expect(old.keyHeader).toBeUndefined()
    expect(old.keyFormat).toBeUndefined()
  })

  it('2.9 a lane is kept; a lane that is not a string is invalid', () => {
    expect(checkRecord(json({ lane: 'room:42' }), options).lane).toBe('room:42')
    expect(codeOf(json({ lane: 42 }))).toBe('invalid')
  })

  it('2.7 a record of a future format version is set aside with code version, not misread', () => {
    expect(codeOf(json({ v: RECORD_VERSION + 1, method: 42, brandNew: true }))).toBe('version')
  })

  it('2.7 origin: same origin passes; another origin only when allowed', () => {
    const here = { ...options, origin: ORIGIN }
    expect(codeOf(json({ url: `${ORIGIN}/a` }), here)).toBe('ok')
    expect(codeOf(json({ url: 'https://evil.test/a' }), here)).toBe('origin')
    expect(codeOf(json({ url: 'http://api.test/a' }), here)).toBe('origin')
    expect(
      codeOf(json({ url: 'https://cdn.test/a' }), { ...here, allowed: ['https://cdn.test'] }),
    ).toBe('ok')
  })

  it('2.7 origin without a location: allowedOrigins only if given, otherwise any origin', () => {
    expect(codeOf(json({ url: 'https://anything.test/a' }))).toBe('ok')
    const only = { ...options, allowed: [ORIGIN] }
    expect(codeOf(json({ url: `${ORIGIN}/a` }), only)).toBe('ok')
    expect(codeOf(json({ url: 'https://anything.test/a' }), only)).toBe('origin')
  })

  it('2.7 drops credential and redacted headers instead of replaying them', () => {
    const text = json({
      headers: [
        ['Authorization', 'x'],
        ['cookie', 'x'],
        ['X-Secret', 'x'],
        ['accept', 'y'],
      ],
    })
    expect(checkRecord(text, { ...options, redact: ['x-secret'] }).headers).toEqual([
      ['accept', 'y'],
    ])
  })

  it('normalizes the URL and keeps byte bodies that are valid base64', () => {
    const r = checkRecord(
      json({ url: 'https://API.test:443/a/../b', body: { t: 'bytes', v: 'AAEC/w==' } }),
      options,
    )
    expect(r.url).toBe(`${ORIGIN}/b`)
    expect(r.body).toEqual({ t: 'bytes', v: 'AAEC/w==' })
  })
})
