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
console.log(`examples: ${files.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
