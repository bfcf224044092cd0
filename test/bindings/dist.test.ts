// @vitest-environment node
/**
 * The built subpaths, imported by name the way a user does (the package references itself
 * through its `exports` map). `npm test` builds dist/ before the unit tests.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))
// Variable specifiers keep the type checker (run before the build) away from dist/.
const load = async (subpath: string): Promise<Record<string, unknown>> => {
  if (!existsSync(dist('index.js')))
    throw new Error('dist/ is missing: run `npm run build` before this test')
  const name = `fetch-queue/${subpath}`
  return import(/* @vite-ignore */ name)
}

const imports = (code: string) =>
  [...code.matchAll(/^import .* from "([^"]+)";?$/gm)].map((m) => m[1])

describe('§4 the built bindings', () => {
  it.each([
    ['react', ['shallowEqual', 'useQueueItem', 'useQueueSnapshot', 'useWatch']],
    ['vue', ['useQueueSnapshot']],
    ['svelte', ['toReadable']],
  ])('§4 fetch-queue/%s resolves to dist/ through the exports map', async (subpath, names) => {
    expect(fileURLToPath(import.meta.resolve(`fetch-queue/${subpath}`))).toBe(dist(`${subpath}.js`))
    const lib = await load(subpath)
    expect(Object.keys(lib).sort()).toEqual(names)
  })

  it("§4 dist/react.js starts with the 'use client' directive", () => {
    expect(readFileSync(dist('react.js'), 'utf8').split('\n')[0]).toBe('"use client";')
  })

  it('§4 the frameworks stay external: each file imports its framework and bundles none of it', () => {
    const react = readFileSync(dist('react.js'), 'utf8')
    const vue = readFileSync(dist('vue.js'), 'utf8')
    const svelte = readFileSync(dist('svelte.js'), 'utf8')
    expect(imports(react)).toEqual(['react'])
    expect(imports(vue)).toEqual(['vue'])
    expect(imports(svelte)).toEqual([])
    // Nothing of the core either: the bindings only read a queue's public methods.
    for (const code of [react, vue, svelte]) expect(code).not.toMatch(/createQueue|\.\/chunk-/)
    expect(react).not.toMatch(/react\.element|__CLIENT_INTERNALS|ReactCurrentDispatcher/)
    expect(vue).not.toMatch(/createRenderer|__VUE_OPTIONS_API__/)
  })
})
