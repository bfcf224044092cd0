import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('README: Testing your app', () => {
  it.each(['examples/testing/status.ts', 'examples/testing/status.test.ts'])(
    'shows %s exactly as npm test runs it',
    (path) => {
      expect(read('README.md')).toContain(read(path).trim())
    },
  )
})

describe('README: Your server', () => {
  it('shows the server part of examples/idempotent-server.ts exactly as npm test runs it', () => {
    const program = read('examples/idempotent-server.ts')
    const start = program.indexOf('// #region server\n')
    const end = program.indexOf('// #endregion')
    expect(start).toBeGreaterThan(0)
    expect(end).toBeGreaterThan(start)
    expect(read('README.md')).toContain(program.slice(start + 18, end).trim())
  })
})
