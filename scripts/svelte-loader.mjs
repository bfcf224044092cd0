// Node module hooks that compile .svelte files for the DOM, as a bundler's Svelte plugin does, so
// the Svelte example runs under plain Node (scripts/run-examples.mjs).
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { compile } from 'svelte/compiler'

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.svelte')) return nextLoad(url, context)
  const filename = fileURLToPath(url)
  const { js } = compile(await readFile(filename, 'utf8'), { filename, generate: 'client' })
  return { format: 'module', source: js.code, shortCircuit: true }
}
