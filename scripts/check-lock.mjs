#!/usr/bin/env node
// Checks that package-lock.json is complete enough for `npm ci` on any machine: every optional
// dependency of every locked package (the per-platform binaries of esbuild, rollup, Biome, …)
// is recorded, as it is when the lock was made against a registry that has them all. A lock
// made where some were missing installs here and breaks `npm ci` elsewhere. Needs only Node.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const path = fileURLToPath(new URL('../package-lock.json', import.meta.url))
const lock = JSON.parse(readFileSync(path, 'utf8'))
const packages = lock.packages ?? {}
const problems = []

if (lock.lockfileVersion < 3) problems.push(`lockfileVersion ${lock.lockfileVersion}, expected 3`)

/** Where Node would find `name` from the package at `from`: its own node_modules, then upwards. */
function resolve(from, name) {
  let dir = from
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`
    if (packages[candidate]) return candidate
    if (!dir) return undefined
    const at = dir.lastIndexOf('node_modules/')
    dir = at <= 0 ? '' : dir.slice(0, at - 1)
  }
}

let optional = 0
for (const [where, entry] of Object.entries(packages)) {
  if (where === '' || entry.link) continue
  if (!entry.version) problems.push(`${where}: no version`)
  if (where.includes('node_modules/') && !entry.integrity) problems.push(`${where}: no integrity`)
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    optional++
    const found = resolve(where, name)
    if (!found) problems.push(`${where}: optional dependency ${name} is not in the lock`)
    // Platform packages are pinned to their parent's version (esbuild, rollup, Biome).
    else if (/^\d+\.\d+\.\d+$/.test(range) && packages[found].version !== range)
      problems.push(
        `${where}: optional dependency ${name}@${range} is locked at ${packages[found].version}`,
      )
  }
}

if (problems.length) {
  console.error(`package-lock.json is incomplete (${problems.length} problems):`)
  for (const p of problems.slice(0, 40)) console.error(`  ${p}`)
  console.error(
    'Regenerate it against a registry with every platform package: npm install --package-lock-only',
  )
  process.exit(1)
}
console.log(
  `package-lock.json: ${Object.keys(packages).length} packages, ${optional} optional dependencies, all recorded`,
)
