// Runs every examples/*.ts program, so the README's examples cannot rot. Fails on the first error.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const files = readdirSync('examples').filter((f) => f.endsWith('.ts'))
let failed = 0
for (const file of files) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `examples/${file}`], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const ok = run.status === 0
  if (!ok) failed++
  console.log(`${ok ? '✓' : '✗'} examples/${file}`)
  if (!ok) console.log(run.stdout, run.stderr)
}
// The "Testing your app" example is a Vitest suite, run as a user's own suite would be.
const suite = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--config', 'examples/testing/vitest.config.ts'],
  { encoding: 'utf8', timeout: 120_000 },
)
if (suite.status !== 0) failed++
console.log(`${suite.status === 0 ? '✓' : '✗'} examples/testing (vitest)`)
if (suite.status !== 0) console.log(suite.stdout, suite.stderr)
console.log(`examples: ${files.length + 1 - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
