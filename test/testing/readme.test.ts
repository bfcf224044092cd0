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
