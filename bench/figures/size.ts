import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants } from 'node:zlib'
import { build } from 'esbuild'
import type { FigureResult } from '../lib/figure.ts'
import { goal, int, type Table } from '../lib/format.ts'
import { distEntry, root } from '../lib/library.ts'

interface Entry {
  name: string
  /** What the user writes, shown in the table. */
  import: string
  /** The same import, as a module esbuild can bundle. */
  source: string
  package?: string
  budget?: number
}

const ENTRIES: Entry[] = [
  {
    name: 'fetch-queue',
    import: "import { createQueue } from 'fetch-queue'",
    source: "export { createQueue } from 'fetch-queue'",
    budget: 3000,
  },
  {
    name: 'fetch-queue + localStorageSpool',
    import: "import { createQueue, localStorageSpool } from 'fetch-queue'",
    source: "export { createQueue, localStorageSpool } from 'fetch-queue'",
    budget: 4500,
  },
  {
    name: 'workbox-background-sync (service worker only)',
    import: "import { Queue } from 'workbox-background-sync'",
    source: "export { Queue } from 'workbox-background-sync'",
    package: 'workbox-background-sync',
  },
  {
    name: 'p-queue',
    import: "import PQueue from 'p-queue'",
    source: "export { default } from 'p-queue'",
    package: 'p-queue',
  },
  {
    name: 'ky',
    import: "import ky from 'ky'",
    source: "export { default } from 'ky'",
    package: 'ky',
  },
  {
    name: '@tanstack/query-core',
    import: "import { QueryClient, MutationObserver } from '@tanstack/query-core'",
    source: "export { QueryClient, MutationObserver } from '@tanstack/query-core'",
    package: '@tanstack/query-core',
  },
  {
    name: '@redux-offline/redux-offline + redux',
    import:
      "import { offline } from '@redux-offline/redux-offline'; import { createStore } from 'redux'",
    source:
      "export { offline } from '@redux-offline/redux-offline'; export { createStore } from 'redux'",
    package: '@redux-offline/redux-offline',
  },
]

function version(pkg: string): string | undefined {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as {
        version: string
      }
    ).version
  } catch {
    return undefined
  }
}

/** esbuild (bundle, minify, esm, browser) then brotli quality 11: the bytes a user ships. */
export async function measureImport(source: string): Promise<{ min: number; brotli: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    alias: { 'fetch-queue': distEntry },
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  const code = result.outputFiles[0]!.contents
  const brotli = brotliCompressSync(code, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
    },
  }).length
  return { min: code.length, brotli }
}

/** Figure 8: bundle size of each import set. */
export async function sizeFigure(): Promise<FigureResult> {
  const rows: string[][] = []
  const measured = new Map<string, number>()
  for (const e of ENTRIES) {
    const v = e.package ? version(e.package) : undefined
    if (e.package && !v) {
      rows.push([e.name, `\`${e.import}\``, 'not installed', '–', '–'])
      continue
    }
    try {
      const { min, brotli } = await measureImport(e.source)
      measured.set(e.name, brotli)
      rows.push([
        v ? `${e.name} ${v}` : e.name,
        `\`${e.import}\``,
        int(min),
        `${int(brotli)} (${(brotli / 1000).toFixed(1)} kB)`,
        e.budget ? `${goal(brotli <= e.budget)} ≤ ${(e.budget / 1000).toFixed(1)} kB` : '',
      ])
    } catch (error) {
      rows.push([
        e.name,
        `\`${e.import}\``,
        `failed: ${(error as Error).message.split('\n')[0]}`,
        '–',
        '–',
      ])
    }
  }
  const table: Table = {
    title: '8. Size: what each import adds to a bundle',
    note: 'Bytes, esbuild (bundle, minify, format esm, platform browser) then brotli quality 11 (node:zlib). 1 kB = 1,000 bytes.',
    head: ['package', 'import', 'minified', 'min + brotli', 'goal'],
    rows,
  }
  const ours = (name: string, budget: number) => {
    const b = measured.get(name)
    return {
      name: `Size: ${name}`,
      target: `≤ ${(budget / 1000).toFixed(1)} kB`,
      measured: b === undefined ? 'not built' : `${(b / 1000).toFixed(2)} kB`,
      ok: b === undefined ? undefined : b <= budget,
    }
  }
  const kb = (name: string) => {
    const b = measured.get(name)
    return b === undefined ? '–' : `${(b / 1000).toFixed(1)} kB`
  }
  return {
    tables: [table],
    summary: [
      {
        metric: 'Size, min + brotli',
        values: {
          'fetch-queue': kb('fetch-queue'),
          'p-queue': kb('p-queue'),
          'query-core': kb('@tanstack/query-core'),
        },
      },
    ],
    goals: [ours('fetch-queue', 3000), ours('fetch-queue + localStorageSpool', 4500)],
  }
}
