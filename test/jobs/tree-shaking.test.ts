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

// Strings found only in the follower: the header it reads, its error codes and messages.
const JOBS_ONLY = ['operation-location', 'max-wait', 'is not polled']

describe('2.10 an app that does not import fetch-queue/jobs does not bundle it', () => {
  it('createQueue alone leaves the follower out; createQueue + followJobs has it', async () => {
    const alone = await bundle(`export { createQueue } from './index.ts'`)
    const both = await bundle(
      `export { createQueue } from './index.ts'; export { followJobs } from './jobs/index.ts'`,
    )
    for (const s of JOBS_ONLY) {
      expect(alone).not.toContain(s)
      expect(both).toContain(s)
    }
  })
})
