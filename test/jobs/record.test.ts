import { describe, expect, it } from 'vitest'
import { localStorageSpool, type SpoolErrorCode } from '../../src/index.ts'
import { RECORD_VERSION } from '../../src/spool/record.ts'
import { checkRecord } from '../../src/spool/validate.ts'
import { memoryStorage } from '../../src/testing/storage.ts'
import { ORIGIN, record } from '../spool/support/records.ts'
import { advance, flush, jobQueue, jobServer, T0, url } from './support.ts'

const options = { origin: ORIGIN, allowed: undefined, redact: [] }
const job = { location: `${ORIGIN}/jobs/1`, acceptedAt: T0, nextPollAt: T0 + 1000 }
const json = (over: object) => JSON.stringify({ ...record(), ...over })

const codeOf = (text: string, o = options) => {
  try {
    checkRecord(text, o)
    return 'ok'
  } catch (error) {
    return (error as { code: SpoolErrorCode }).code
  }
}

describe('2.10 stored jobs: record format 3', () => {
  it('2.10 format 3 stores a job: status URL, accepted-at and next poll time', () => {
    expect(RECORD_VERSION).toBe(3)
    expect(checkRecord(json({ job }), options).job).toEqual(job)
    expect(checkRecord(json({ follow: false }), options).follow).toBe(false)
  })

  it('2.10 a record of format 2 is read as format 3 without a job', () => {
    const r = checkRecord(json({ v: 2, lane: 'room:1', job, follow: false }), options)
    expect(r).toMatchObject({ v: 3, lane: 'room:1' })
    expect(r.job).toBeUndefined()
    expect(r.follow).toBeUndefined()
  })

  it('2.10 a record of a newer format is still set aside', () => {
    expect(codeOf(json({ v: 4, job }))).toBe('version')
  })

  it.each([
    ['a job that is not an object', 'x', 'invalid'],
    ['a relative location', { ...job, location: '/jobs/1' }, 'invalid'],
    ['a javascript: location', { ...job, location: 'javascript:alert(1)' }, 'invalid'],
    ['a location on a foreign origin', { ...job, location: 'https://evil.test/jobs/1' }, 'origin'],
    ['no acceptedAt', { ...job, acceptedAt: undefined }, 'invalid'],
    ['a nextPollAt that is a string', { ...job, nextPollAt: '1' }, 'invalid'],
    ['a negative acceptedAt', { ...job, acceptedAt: -1 }, 'invalid'],
  ])('2.10 %s is set aside', (_, bad, code) => {
    expect(codeOf(json({ job: bad }))).toBe(code)
  })

  it('2.10 follow may only be false', () => {
    expect(codeOf(json({ follow: true }))).toBe('invalid')
  })

  it("2.10 a job location at one of the spool's allowedOrigins is read", () => {
    const there = { ...job, location: 'https://jobs.test/1' }
    expect(
      codeOf(json({ job: there }), { ...options, allowed: ['https://jobs.test'] as never }),
    ).toBe('ok')
  })

  it('2.10 follow: false is stored: after a reload the write still gets its 202 as it is', async () => {
    const server = jobServer()
    const storage = memoryStorage()
    const spool = () => localStorageSpool({ key: 'k', storage, locks: null })
    const first = jobQueue({}, { spool: spool() })
    await first.queue.ready
    server.once('POST /exports', 'hang')
    first.queue.fetch(url('/exports'), { method: 'POST', follow: false })
    await server.seen(1)
    first.queue.dispose()

    const next = jobQueue({}, { spool: spool() })
    await next.queue.ready
    await server.seen(2)
    await flush()
    expect(next.of('sent').map((e) => e.response.status)).toEqual([202])
    expect(next.of('accepted')).toEqual([])
    await advance(60_000)
    expect(server.log).toEqual(['POST /exports', 'POST /exports'])
  })
})
