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
    ['a lane that is a number', json({ lane: 42 }), 'bad lane'],
    ['a lane that is a list', json({ lane: ['room'] }), 'bad lane'],
    ['a dedupe key that is a number', json({ dedupe: 5 }), 'bad dedupe'],
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

describe('2.7 validation of stored records: limits and optional fields', () => {
  const errorOf = (text: string, o: Parameters<typeof checkRecord>[1] = options) => {
    try {
      checkRecord(text, o)
    } catch (error) {
      return [(error as { code: SpoolErrorCode }).code, (error as Error).message]
    }
    return 'ok'
  }

  it('2.7 a record of a future format says which format it is and which this version reads', () => {
    expect(errorOf(json({ v: RECORD_VERSION + 1 }))).toEqual([
      'version',
      `Stored record of format ${RECORD_VERSION + 1} set aside: this version reads format ${RECORD_VERSION}`,
    ])
  })

  it('2.7 a cross-origin record is set aside with a message that names its origin', () => {
    expect(
      errorOf(json({ url: 'https://evil.test/a' }), { ...options, allowed: [ORIGIN] }),
    ).toEqual(['origin', 'Stored record set aside: https://evil.test is not an allowed origin'])
  })

  it('2.7 the limits are inclusive: an id of 200 characters and an enqueue time of 0 are valid', () => {
    const id = 'x'.repeat(200)
    expect(checkRecord(json({ id, at: 0 }), options)).toMatchObject({ id, at: 0 })
  })

  it('2.7 init that is not an object is set aside as bad init', () => {
    expect(messageOf(json({ init: 'abc' }))).toBe('Stored record set aside: bad init')
  })

  it('2.7 only GET and HEAD refuse a body: methods that merely contain those names keep theirs', () => {
    const body = { t: 'text', v: 'x' }
    for (const method of ['FORGET', 'GETS', 'HEADS', 'AHEAD'])
      expect(checkRecord(json({ method, body }), options).body).toEqual(body)
  })

  it('2.7 absent optional fields stay absent: no key, no meta, and an empty lane is the default lane', () => {
    const { key: _key, keyHeader: _keyHeader, ...bare } = record()
    const out = checkRecord(JSON.stringify({ ...bare, lane: '' }), options)
    expect(Object.keys(out).sort()).toEqual(
      ['at', 'attempts', 'body', 'headers', 'id', 'kind', 'method', 'seq', 'url', 'v'].sort(),
    )
  })
})

describe('2.10 validation of stored records: the followed job (format 3)', () => {
  const job = { location: 'https://API.test/jobs/../jobs/7', acceptedAt: 0, nextPollAt: 1500 }

  it('2.10 a job is kept with its normalized status URL and times, and nothing else', () => {
    const out = checkRecord(json({ job: { ...job, extra: 1 }, follow: false }), options)
    expect(out.job).toStrictEqual({
      location: `${ORIGIN}/jobs/7`,
      acceptedAt: 0,
      nextPollAt: 1500,
    })
    expect(out.follow).toBe(false)
  })

  const invalid: [string, object, string][] = [
    ['a job that is not an object', { job: 'soon' }, 'bad job'],
    ['a negative acceptedAt', { job: { ...job, acceptedAt: -1 } }, 'bad job'],
    ['an acceptedAt that is a string', { job: { ...job, acceptedAt: '0' } }, 'bad job'],
    ['a nextPollAt that is not finite', { job: { ...job, nextPollAt: null } }, 'bad job'],
    ['a negative nextPollAt', { job: { ...job, nextPollAt: -5 } }, 'bad job'],
    ['a status URL that is not a string', { job: { ...job, location: 7 } }, 'bad job location'],
    ['a relative status URL', { job: { ...job, location: '/jobs/7' } }, 'job location'],
    [
      'a javascript: status URL',
      { job: { ...job, location: 'javascript:alert(1)' } },
      'bad job location protocol',
    ],
    ['follow true', { follow: true }, 'bad follow'],
    ['follow as a string', { follow: 'no' }, 'bad follow'],
  ]
  it.each(invalid)('2.10 sets aside a record with %s, saying why', (_, over, why) => {
    expect(codeOf(json(over))).toBe('invalid')
    expect(messageOf(json(over))).toBe(`Stored record set aside: ${why}`)
  })

  it('2.10 a status URL at an origin the queue may not send to sets the record aside', () => {
    const text = json({ job: { ...job, location: 'https://evil.test/jobs/7' } })
    expect(codeOf(text, { ...options, origin: ORIGIN })).toBe('origin')
  })

  it('2.10 formats 1 and 2 followed no job: job and follow fields in them are ignored', () => {
    for (const v of [1, 2]) {
      const out = checkRecord(json({ v, job: 'not even a job', follow: 'x' }), options)
      expect([out.job, out.follow, 'job' in out, 'follow' in out]).toEqual([
        undefined,
        undefined,
        false,
        false,
      ])
    }
  })
})
