import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/retry.ts'

const NOW = Date.UTC(2015, 9, 21, 7, 27, 0)

// HTTP dates are always UTC, the obsolete asctime form included (RFC 9110 §5.6.7), whatever the
// zone the browser runs in: read them in a zone far from UTC to prove it.
let tz: string | undefined
beforeAll(() => {
  tz = process.env.TZ
  process.env.TZ = 'America/New_York'
})
afterAll(() => {
  if (tz === undefined) delete process.env.TZ
  else process.env.TZ = tz
})

describe('2.4 Retry-After, as a table', () => {
  it.each([
    ['delta-seconds', '120', 120_000],
    ['zero', '0', 0],
    ['surrounding white space', ' 5 ', 5000],
    ['IMF-fixdate', 'Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
    ['obsolete RFC 850 date', 'Wednesday, 21-Oct-15 07:28:00 GMT', 60_000],
    ['obsolete asctime date', 'Wed Oct 21 07:28:00 2015', 60_000],
    ['asctime with a space-padded day', 'Sun Nov  1 07:27:00 2015', 950_400_000],
    ['a date in the past means now', 'Tue, 20 Oct 2015 07:28:00 GMT', 0],
    ['an ISO date in UTC, not an HTTP date but unambiguous', '2015-10-21T07:28:00Z', 60_000],
  ])('%s: %j → %d ms', (_, value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })

  it.each([
    ['a decimal', '5.5'],
    ['a negative number', '-3'],
    ['an exponent', '1e3'],
    ['a plus sign', '+3'],
    ['a word', 'soon'],
    ['an empty value', ''],
    ['white space', '   '],
    ['no header', null],
    ['a date-like word salad', 'Wed, 99 Foo 2015 07:28:00 GMT'],
  ])('%s (%j) is unparsable: undefined, so the backoff applies', (_, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined()
  })
})
