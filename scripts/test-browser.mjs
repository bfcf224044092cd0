#!/usr/bin/env node
// `npm run test:browser`: the end-to-end suite (test/e2e, the demos driven from Node) and the
// browser-mode suite (test/browser, library tests inside the page), once in each engine:
// Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK
// (WebKitWebDriver under Xvfb), one engine at a time. Prints one line per engine and the total.
//
// An engine missing from this machine is skipped with a loud warning, except in CI (CI=true),
// where it is a failure. BROWSER_ENGINES=firefox,webkit runs only those; any other argument goes
// to Vitest (a file filter, say).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'

const root = fileURLToPath(new URL('..', import.meta.url))
const { ENGINES, PACKAGES, findEngine } = await tsImport('./engines/index.ts', import.meta.url)

const wanted = process.env.BROWSER_ENGINES
  ? process.env.BROWSER_ENGINES.split(',').map((s) => s.trim())
  : ENGINES
for (const name of wanted) {
  if (!ENGINES.includes(name)) {
    console.error(`BROWSER_ENGINES: unknown engine ${name} (one of ${ENGINES.join(', ')})`)
    process.exit(1)
  }
}
const ci = process.env.CI === 'true'
const missing = wanted.filter((name) => !findEngine(name))
if (missing.length) {
  const install = `apt-get install -y ${missing.map((n) => PACKAGES[n]).join(' ')}`
  if (ci) {
    console.error(`\nERROR: browser engine(s) not found: ${missing.join(', ')}.`)
    console.error(`The browser suite runs in every engine in CI. Install them: ${install}\n`)
    process.exit(1)
  }
  const line = '!'.repeat(72)
  console.warn(
    [
      '',
      line,
      `!!  BROWSER SUITE SKIPPED IN: ${missing.join(', ').toUpperCase()} (not found on this machine).`,
      '!!',
      '!!  Neither the end-to-end tests (test/e2e) nor the browser-mode tests',
      '!!  (test/browser) ran there. Install the engines to run them:',
      '!!',
      `!!      sudo ${install}`,
      '!!',
      '!!  (In CI, with CI=true, a missing engine fails the build.)',
      line,
      '',
    ].join('\n'),
  )
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const out = mkdtempSync(join(tmpdir(), 'fetch-queue-browser-'))
const suites = [
  { name: 'e2e', config: 'vitest.e2e.config.ts' },
  { name: 'browser mode', config: 'vitest.browser.config.ts' },
]
const extra = process.argv.slice(2)
const results = []
const started = Date.now()

/** Runs one suite in one engine; returns its counts from Vitest's JSON report. */
function run(engine, suite) {
  const report = join(out, `${engine}-${suite.config}.json`)
  const t0 = Date.now()
  console.log(`\n=== ${engine}: ${suite.name} (${suite.config}) ===`)
  const child = spawnSync(
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
    { cwd: root, stdio: 'inherit', env: { ...process.env, BROWSER_ENGINE: engine } },
  )
  const seconds = (Date.now() - t0) / 1000
  if (!existsSync(report)) {
    return {
      passed: 0,
      failed: 1,
      seconds,
      note: `did not run (vitest exited with ${child.status ?? child.signal})`,
    }
  }
  const json = JSON.parse(readFileSync(report, 'utf8'))
  // A suite that crashed before running its tests still counts as a failure.
  const broken = child.status !== 0 && json.numFailedTests === 0 ? 1 : 0
  return { passed: json.numPassedTests, failed: json.numFailedTests + broken, seconds }
}

for (const engine of wanted) {
  if (missing.includes(engine)) {
    results.push({ engine, skipped: true })
    continue
  }
  const parts = suites.map((suite) => ({ suite: suite.name, ...run(engine, suite) }))
  results.push({
    engine,
    parts,
    passed: parts.reduce((n, p) => n + p.passed, 0),
    failed: parts.reduce((n, p) => n + p.failed, 0),
  })
}
rmSync(out, { recursive: true, force: true })

console.log(`\nBrowser suite, by engine (${((Date.now() - started) / 1000).toFixed(0)} s):`)
for (const r of results) {
  if (r.skipped) continue
  const detail = r.parts
    .map(
      (p) =>
        `${p.suite} ${p.passed}/${p.passed + p.failed}${p.note ? `, ${p.note}` : ''} in ${p.seconds.toFixed(0)} s`,
    )
    .join('; ')
  console.log(`  ${r.engine} (${detail})`)
}
let passed = 0
let failed = 0
for (const r of results) {
  if (r.skipped) {
    console.log(`${r.engine}: SKIPPED, not installed`)
    continue
  }
  passed += r.passed
  failed += r.failed
  console.log(`${r.engine}: ${r.passed} passed, ${r.failed} failed`)
}
console.log(`total: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
