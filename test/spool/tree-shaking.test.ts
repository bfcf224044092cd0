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

describe('2.8 the localStorage spool costs nothing to an app that does not import it', () => {
  it('an import of createQueue alone leaves the spool out of the bundle', async () => {
    const alone = await bundle('createQueue, memorySpool')
    const withSpool = await bundle('createQueue, localStorageSpool')
    for (const s of SPOOL_ONLY) {
      expect(alone).not.toContain(s)
      expect(withSpool).toContain(s)
    }
  })
})
