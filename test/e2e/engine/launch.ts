import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/engines/chromium.ts'
import { launchFirefox } from '../../../scripts/engines/firefox.ts'
import { startDisplay } from '../../../scripts/engines/webkit.ts'
import { connectChromium } from './chromium.ts'
import { connectFirefox } from './firefox.ts'
import type { EngineDriver, EngineName } from './types.ts'
import { connectWebKit } from './webkit.ts'

export interface RunningEngine {
  name: EngineName
  /** Where test files connect: a WebSocket URL (Chromium, Firefox) or an X display (WebKit). */
  endpoint: string
  stop(): Promise<void>
}

/** Starts one engine for a whole run; each test file connects to it with `connectEngine`. */
export async function startEngine(name: EngineName): Promise<RunningEngine> {
  if (name === 'chromium') {
    const executablePath = findChromium()
    if (!executablePath) throw new Error('Chromium not found on PATH (apt-get install chromium)')
    const server = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS })
    return { name, endpoint: server.wsEndpoint(), stop: () => server.close() }
  }
  if (name === 'firefox') {
    const browser = await launchFirefox()
    const endpoint = browser.wsEndpoint()
    const process = browser.process()
    // Firefox takes one WebDriver BiDi session at a time: the test file's.
    await browser.disconnect()
    return {
      name,
      endpoint,
      async stop() {
        // Closing through puppeteer also removes the profile it made; killing is the fallback.
        await connectFirefoxBrowser(endpoint)
          .then((again) => again.close())
          .catch(() => process?.kill('SIGKILL'))
      },
    }
  }
  const display = await startDisplay()
  return { name, endpoint: display.name, stop: () => display.stop() }
}

async function connectFirefoxBrowser(endpoint: string) {
  const { default: puppeteer } = await import('puppeteer-core')
  return puppeteer.connect({ browserWSEndpoint: endpoint, protocol: 'webDriverBiDi' })
}

/** Connects a test file to the engine its run started. */
export function connectEngine(name: EngineName, endpoint: string): Promise<EngineDriver> {
  if (name === 'chromium') return connectChromium(endpoint)
  if (name === 'firefox') return connectFirefox(endpoint)
  return Promise.resolve(connectWebKit(endpoint))
}
