import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The public API, typed from the source but loaded from the build, so we measure what users get. */
export type Library = typeof import('../../src/index.ts')

export const root = fileURLToPath(new URL('../../', import.meta.url))
export const distEntry = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

export async function loadLibrary(): Promise<Library> {
  if (!existsSync(distEntry)) throw new Error('dist/index.js is missing: run `npm run build` first')
  return (await import(pathToFileURL(distEntry).href)) as Library
}
