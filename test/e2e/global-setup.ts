import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'
import { type EngineName, engineFromEnv } from '../../scripts/engines/index.ts'
import { startEngine } from './engine/launch.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pageDir: string
    engine: { name: EngineName; endpoint: string }
  }
}

/**
 * Builds the demo page once into a temporary folder, and starts the run's browser engine once;
 * every test file serves the page from there and connects to that engine.
 */
export default async function setup(project: TestProject) {
  const outDir = await mkdtemp(join(tmpdir(), 'route-editor-e2e-'))
  await build({
    configFile: new URL('../../examples/route-editor/vite.config.ts', import.meta.url).pathname,
    build: { outDir, emptyOutDir: true },
    logLevel: 'warn',
  })
  project.provide('pageDir', outDir)
  const engine = await startEngine(engineFromEnv())
  project.provide('engine', { name: engine.name, endpoint: engine.endpoint })
  return async () => {
    await engine.stop()
    await rm(outDir, { recursive: true, force: true })
  }
}
