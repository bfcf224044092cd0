/**
 * 2.7 "Stored data is untrusted input": 10,000 random and hostile values written under the
 * spool's key prefix. The queue must start, send exactly the valid same-origin records, report
 * every other value with a `spoolerror`, and never throw.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Transport } from '../../src/index.ts'
import { RECORD_VERSION, type SpoolRecord } from '../../src/spool/record.ts'
import { KEY, openPage } from './support/page.ts'
import { fakeStorage } from './support/storage.ts'

const ORIGIN = 'https://api.test'

/** A stored value and the code it must be set aside with (`ok`: it must be sent). */
type Entry = { code: 'ok' | 'invalid' | 'origin' | 'version' | 'too-large'; value: string }

// Placeholders, replaced by each entry's own id so that only the intended defect is wrong.
const ID = '__ID__'
const KEY_OF = '__KEY__'

const safeJson = fc.jsonValue({ maxDepth: 3 }).filter((v) => {
  const text = JSON.stringify(v)
  return !/"(__proto__|constructor|prototype)":/.test(text)
})

const validRecord = fc
  .record({
    method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'patch'),
    path: fc.webPath(),
    text: fc.string({ unit: 'binary', maxLength: 200 }),
    bodyType: fc.constantFrom('text', 'params', 'bytes', 'none'),
    bytes: fc.uint8Array({ maxLength: 40 }),
    meta: fc.option(safeJson, { nil: undefined }),
    dedupe: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    at: fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_000 + 3_600_000 }),
    attempts: fc.nat(10),
    seq: fc.nat(1e6),
    header: fc.constantFrom('accept', 'x-trace', 'content-type'),
    headerValue: fc.string({ maxLength: 40 }).filter((v) => !/[\r\n\0]/.test(v)),
  })
  .map((g): SpoolRecord => {
    const r: SpoolRecord = {
      v: RECORD_VERSION,
      id: ID,
      seq: g.seq,
      kind: 'write',
      method: g.method,
      url: new URL(`/${encodeURI(g.path.replace(/^\/*/, ''))}`, ORIGIN).href,
      headers: [
        [g.header, g.headerValue],
        ['idempotency-key', KEY_OF],
      ],
      key: KEY_OF,
      at: g.at,
      attempts: g.attempts,
    }
    if (g.bodyType === 'text') r.body = { t: 'text', v: g.text }
    if (g.bodyType === 'params')
      r.body = { t: 'params', v: String(new URLSearchParams({ q: g.text })) }
    if (g.bodyType === 'bytes') r.body = { t: 'bytes', v: Buffer.from(g.bytes).toString('base64') }
    if (g.meta !== undefined) r.meta = g.meta
    if (g.dedupe !== undefined) r.dedupe = g.dedupe
    return r
  })

/** A field of a valid record replaced by something that field can never hold. */
const broken = fc
  .tuple(
    validRecord,
    fc.constantFrom<[string, unknown][]>(
      [
        ['v', 0],
        ['v', '1'],
        ['v', null],
      ],
      [
        ['id', 5],
        ['id', ''],
        ['id', { toString: 'x' }],
      ],
      [
        ['seq', -1],
        ['seq', 1.5],
        ['seq', '3'],
      ],
      [
        ['kind', 'both'],
        ['kind', null],
      ],
      [
        ['method', 'TRACE'],
        ['method', 'PO ST'],
        ['method', 7],
        ['method', 'x'.repeat(40)],
      ],
      [
        ['url', 'javascript:alert(1)'],
        ['url', '/relative'],
        ['url', 'data:,x'],
        ['url', 42],
        ['url', 'not a url'],
      ],
      [
        ['headers', { a: 'b' }],
        ['headers', [[1, 2]]],
        ['headers', [['x', 'a\r\nset-cookie: x=1']]],
        ['headers', [['bad name', 'v']]],
        ['headers', 'accept: x'],
      ],
      [
        ['body', { t: 'blob', v: '' }],
        ['body', { t: 'bytes', v: '%%%' }],
        ['body', 'raw'],
        ['body', { t: 'text' }],
      ],
      [
        ['at', 'yesterday'],
        ['at', null],
        ['at', -5],
      ],
      [
        ['attempts', -1],
        ['attempts', 'many'],
      ],
      [
        ['key', 5],
        ['key', 'a\nb'],
      ],
      [['dedupe', { x: 1 }]],
      [
        ['init', { mode: 5 }],
        ['init', { window: 'x' }],
        ['init', 'cors'],
      ],
    ),
    fc.nat(),
  )
  .map(([r, options, pick]) => {
    const [field, value] = options[pick % options.length]!
    return JSON.stringify({ ...r, [field]: value })
  })

const smuggled = fc
  .tuple(validRecord, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
  .map(([r, key, inMeta]) => {
    const evil = `{"${key}":{"polluted":true,"isAdmin":true}}`
    // JSON.parse makes `__proto__` an own key, and JSON.stringify writes it back out.
    if (inMeta) return JSON.stringify({ ...r, meta: { doc: JSON.parse(evil) } })
    return JSON.stringify(r).replace(/^\{/, `${evil.slice(0, -1)},`)
  })

/** Junk is invalid, except that an object with an integer `v` above the current one is a future version. */
const junk = (value: string): Entry => {
  let future = false
  try {
    const v = JSON.parse(value)
    future = !!v && typeof v === 'object' && Number.isSafeInteger(v.v) && v.v > RECORD_VERSION
  } catch {}
  if (/"(__proto__|constructor|prototype)"\s*:/.test(value)) future = false
  return { code: future ? 'version' : 'invalid', value }
}

const entry: fc.Arbitrary<Entry> = fc.oneof(
  {
    weight: 4,
    arbitrary: validRecord.map((r): Entry => ({ code: 'ok', value: JSON.stringify(r) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        validRecord,
        fc.constantFrom('https://evil.test', 'http://api.test', 'https://api.test.evil.test'),
      )
      .map(
        ([r, origin]): Entry => ({
          code: 'origin',
          value: JSON.stringify({ ...r, url: `${origin}${new URL(r.url).pathname}` }),
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: validRecord.map(
      (r): Entry => ({
        code: 'version',
        value: JSON.stringify({ ...r, v: RECORD_VERSION + 1, method: 42, next: {} }),
      }),
    ),
  },
  { weight: 3, arbitrary: broken.map(junk) },
  { weight: 1, arbitrary: smuggled.map(junk) },
  { weight: 2, arbitrary: fc.json().map(junk) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }).map(junk) },
  {
    weight: 1,
    arbitrary: fc.anything().map((v) => {
      try {
        return junk(JSON.stringify(v) ?? String(v))
      } catch {
        return junk(typeof v)
      }
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Entry>(
      { code: 'too-large', value: 'x'.repeat(600_000) },
      { code: 'too-large', value: JSON.stringify({ v: 1, id: 'i'.repeat(600_000) }) },
      { code: 'invalid', value: '[' },
      { code: 'invalid', value: '{}' },
      { code: 'invalid', value: '' },
    ),
  },
)

describe('2.7 stored data is untrusted', () => {
  it('2.7 10,000 random and hostile stored values: only valid same-origin records are sent, the rest is reported', async () => {
    let values = 0
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 100, maxLength: 100 }), async (entries) => {
        values += entries.length
        const storage = fakeStorage()
        const valid = new Map<string, SpoolRecord>()
        const codes = new Map<string, string>()
        entries.forEach((e, i) => {
          const id = `e${i}`
          const value = e.value.replaceAll(ID, id).replaceAll(KEY_OF, `key-${id}`)
          const key = `${KEY}/fz/${id}`
          storage.setItem(key, value)
          if (e.code === 'ok') valid.set(id, JSON.parse(value))
          else codes.set(key, e.code)
        })
        const sent: { url: string; body: string; key: string | null; method: string }[] = []
        const transport: Transport = async (request) => {
          const body = request.body
          sent.push({
            url: request.url,
            method: request.method,
            key: request.headers.get('idempotency-key'),
            body: body == null ? '' : typeof body === 'string' ? body : String(body),
          })
          return new Response('ok')
        }
        const page = openPage({
          storage,
          spool: { allowedOrigins: [ORIGIN] },
          queue: { transport, timeout: false },
        })
        await page.queue.ready
        await page.queue.whenIdle()

        const reported = new Map(
          page.of('spoolerror').map((e) => [/\((\S+)\)$/.exec(e.error.message)?.[1], e.error.code]),
        )
        const wrong = [...new Set([...codes.keys(), ...reported.keys()])]
          .filter((k) => codes.get(k!) !== reported.get(k))
          .map((k) => [k, codes.get(k!), reported.get(k), storage.getItem(k!)?.slice(0, 300)])
        if (wrong.length) throw new Error(`misreported: ${JSON.stringify(wrong)}`)
        expect(sent).toHaveLength(valid.size)
        expect(sent.every((s) => new URL(s.url).origin === ORIGIN)).toBe(true)
        expect(new Set(sent.map((s) => s.key))).toEqual(
          new Set([...valid.values()].map((r) => r.key)),
        )
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        // Sent records are gone; the rest is left where it was.
        expect(storage.data.size).toBe(codes.size)
        page.queue.dispose()
      }),
      {
        numRuns: 100,
        // The values are huge: report the failure and the seed, not the whole counterexample.
        reporter(out) {
          if (out.failed)
            throw new Error(`${String(out.errorInstance).slice(0, 1500)} (seed ${out.seed})`)
        },
      },
    )
    expect(values).toBe(10_000)
  }, 120_000)
})
