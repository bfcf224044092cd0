#!/usr/bin/env node
// `npm start`: builds the demo pages (the route editor, and the chat at /chat/) and serves them
// with the demo API on one port.
//
//   npm start                         http://localhost:5173 (PORT=8080 npm start for another port)
//   npm start -- --screenshot FILE    also writes a screenshot of the running demo (needs Chromium)
//
// The page imports fetch-queue from src/ through a Vite alias, so no library build is needed.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const pageDir = `${root}examples/route-editor`
const args = process.argv.slice(2)
const shotAt = args.indexOf('--screenshot')
const screenshot = shotAt >= 0 ? (args[shotAt + 1] ?? 'docs/screenshot.png') : undefined

console.log('Building the demo pages…')
await build({ configFile: `${pageDir}/vite.config.ts`, logLevel: 'warn' })
// After the editor: its build empties dist/, where the chat goes (dist/chat/).
await build({ configFile: `${root}examples/chat/vite.config.ts`, logLevel: 'warn' })

const { startServer } = await tsImport('../examples/server/server.ts', import.meta.url)
const port = Number(process.env.PORT ?? 5173)
const server = await startServer({ port, host: 'localhost', root: `${pageDir}/dist` })
// A little latency makes "Saving…" visible; change it from the page's "Demo server controls".
server.control.set({ latency: 300 })

console.log(`
  Route editor demo: ${server.url}
  Chat demo:         ${server.url}/chat/

  Drag stops, add and remove them, then open "Demo server controls" to add latency,
  take the server down or make it fail, and watch the status bar. In the chat, open the
  room in a second tab and talk to yourself; take the server down, reload, reject a
  message. Ctrl+C stops.
`)

if (screenshot) {
  await takeScreenshot(server.url, screenshot)
  await server.close()
} else {
  const stop = () => server.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

async function takeScreenshot(url, file) {
  const { chromium } = await import('playwright-core')
  const { CHROMIUM_ARGS, findChromium } = await tsImport('./engines/chromium.ts', import.meta.url)
  const executablePath = findChromium()
  if (!executablePath) throw new Error('Chromium not found on PATH: apt-get install -y chromium')
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 760 },
      deviceScaleFactor: 1,
    })
    await page.goto(`${url}/?project=line-42`)
    await page.waitForSelector('[data-testid="app"][data-loaded="true"]')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stats-rev"]')?.textContent === '0',
    )
    // Drag the third stop a little, so the picture shows an edit on its way to the server.
    server.control.set({ latency: 1500 })
    const marker = page.locator('[data-testid="stop-marker"] circle').nth(2)
    const box = await marker.boundingBox()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + 60, box.y + 90, { steps: 12 })
    await page.mouse.up()
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status-text"]')?.textContent === 'Saving…',
    )
    await page.screenshot({ path: resolve(root, file) })
    console.log(`Screenshot written to ${file}`)
  } finally {
    await browser.close()
  }
}
