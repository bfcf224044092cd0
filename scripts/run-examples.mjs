// Runs every examples/*.ts program, and the chat-status example of each framework binding, so the
// README's examples cannot rot. Fails on the first error.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const runs = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `examples/${f}`, node: [] })),
  // Each renders into happy-dom and checks, step by step, what the page says.
  { file: 'examples/chat-status/react.tsx', node: [] },
  { file: 'examples/chat-status/vue.ts', node: [] },
  // Svelte's DOM build is its `browser` export, and .svelte files need compiling.
  {
    file: 'examples/chat-status/svelte.ts',
    node: ['--conditions=browser', '--import', './scripts/svelte-register.mjs'],
  },
]
let failed = 0
for (const { file, node } of runs) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...node, file], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const ok = run.status === 0
  if (!ok) failed++
  console.log(`${ok ? '✓' : '✗'} ${file}`)
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
console.log(`examples: ${runs.length + 1 - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
