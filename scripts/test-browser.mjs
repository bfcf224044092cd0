#!/usr/bin/env node
// `npm run test:browser`: the end-to-end suite (test/e2e, the demo in Chromium driven by
// playwright-core) and the browser-mode suite (test/browser, library tests inside Chromium).
// Needs Debian's Chromium on PATH. Without it the suites are skipped with a warning, except in
// CI (CI=true), where a missing browser is an error.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const root = fileURLToPath(new URL('..', import.meta.url))

const { findChromium } = await tsImport('./engines/chromium.ts', import.meta.url)
const chromium = findChromium()
if (!chromium) {
  if (process.env.CI === 'true') {
    console.error(
      '\nERROR: Chromium not found on PATH (looked for `chromium` and `chromium-browser`).',
    )
    console.error('The browser suite is required in CI. Install it: apt-get install -y chromium\n')
    process.exit(1)
  }
  const line = '!'.repeat(72)
  console.warn(
    [
      '',
      line,
      '!!  BROWSER SUITE SKIPPED: Chromium was not found on PATH.',
      '!!',
      '!!  Neither the end-to-end tests (test/e2e) nor the browser-mode tests',
      '!!  (test/browser) ran. Install Chromium to run them:',
      '!!',
      '!!      sudo apt-get install -y chromium',
      '!!',
      '!!  (In CI, with CI=true, a missing Chromium fails the build.)',
      line,
      '',
    ].join('\n'),
  )
  process.exit(0)
}

console.log(`Chromium: ${chromium}`)
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const out = mkdtempSync(join(tmpdir(), 'fetch-queue-browser-'))
const suites = [
  { name: 'end-to-end (test/e2e)', config: 'vitest.e2e.config.ts' },
  { name: 'browser mode (test/browser)', config: 'vitest.browser.config.ts' },
]
const extra = process.argv.slice(2)
let passed = 0
let failed = 0
const lines = []
const started = Date.now()

for (const suite of suites) {
  const report = join(out, `${suite.config}.json`)
  const t0 = Date.now()
  const run = spawnSync(
    process.execPath,
    [
      vitest,
      'run',
      '--config',
      suite.config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extra,
    ],
    { cwd: root, stdio: 'inherit' },
  )
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'))
    // A suite that crashed before running its tests still counts as a failure.
    const broken = run.status !== 0 && json.numFailedTests === 0 ? 1 : 0
    passed += json.numPassedTests
    failed += json.numFailedTests + broken
    lines.push(
      `${suite.name}: ${json.numPassedTests} passed, ${json.numFailedTests + broken} failed (${seconds}s)`,
    )
  } else {
    failed += 1
    lines.push(
      `${suite.name}: did not run (vitest exited with ${run.status ?? run.signal}) (${seconds}s)`,
    )
  }
}
rmSync(out, { recursive: true, force: true })

console.log(`\nBrowser suite summary (${((Date.now() - started) / 1000).toFixed(1)}s):`)
for (const line of lines) console.log(`  ${line}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
