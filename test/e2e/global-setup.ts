import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    pageDir: string
  }
}

/** Builds the demo page once into a temporary folder; every test file serves it from there. */
export default async function setup(project: TestProject) {
  const outDir = await mkdtemp(join(tmpdir(), 'route-editor-e2e-'))
  await build({
    configFile: new URL('../../examples/route-editor/vite.config.ts', import.meta.url).pathname,
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  })
  project.provide('pageDir', outDir)
  return () => rm(outDir, { recursive: true, force: true })
}
