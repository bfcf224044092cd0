import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('README: Asynchronous jobs', () => {
  it('shows the server recipe exactly as examples/jobs.ts runs it', () => {
    const example = read('examples/jobs.ts')
    const readme = read('README.md')
    const section = readme.slice(readme.indexOf('## Asynchronous jobs'), readme.indexOf('## API'))
    const recipe = /```ts\n(async function reportsApi[\s\S]*?)```/.exec(section)?.[1]
    expect(recipe).toBeDefined()
    expect(example).toContain(recipe!.trim())
  })
})
