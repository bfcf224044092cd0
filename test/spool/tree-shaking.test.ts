import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url))

async function bundle(names: string) {
  const result = await build({
    stdin: { contents: `export { ${names} } from ${JSON.stringify(index)}`, resolveDir: '.' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

// Strings found only in the localStorage spool and its validation.
const SPOOL_ONLY = ['NS_ERROR_DOM_QUOTA_REACHED', 'Stored record set aside', 'maxItemBytes']

// Strings found only in the record conversion that every spool brings along.
const RECORD_ONLY = ['cannot be stored', 'could not be restored']

describe('2.8 the localStorage spool costs nothing to an app that does not import it', () => {
  it('an import of createQueue alone leaves out the spool integration and record conversion', async () => {
    const alone = await bundle('createQueue')
    const withSpool = await bundle('createQueue, memorySpool')
    for (const s of RECORD_ONLY) {
      expect(alone).not.toContain(s)
      expect(withSpool).toContain(s)
    }
  })

  it('an import of createQueue alone leaves the localStorage spool out of the bundle', async () => {
    const alone = await bundle('createQueue')
    const withSpool = await bundle('createQueue, localStorageSpool')
    for (const s of SPOOL_ONLY) {
      expect(alone).not.toContain(s)
      expect(withSpool).toContain(s)
    }
  })

  it('an import of memorySpool does not bring the localStorage spool either', async () => {
    const memory = await bundle('createQueue, memorySpool')
    for (const s of SPOOL_ONLY) expect(memory).not.toContain(s)
  })
})
