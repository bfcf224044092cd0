import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../../src/', import.meta.url))

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: src },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

// Strings found only in the watch: its SSE handling and its conditional requests.
const WATCH_ONLY = ['text\\/event-stream', 'last-event-id', 'if-none-match']

describe('2.11 an app that does not import fetch-queue/watch does not bundle it', () => {
  it('createQueue alone leaves the watch out; createQueue + watch has it', async () => {
    const alone = await bundle(`export { createQueue } from './index.ts'`)
    const both = await bundle(
      `export { createQueue } from './index.ts'; export { watch } from './watch/index.ts'`,
    )
    for (const s of WATCH_ONLY) {
      expect(alone).not.toContain(s)
      expect(both).toContain(s)
    }
  })
})
