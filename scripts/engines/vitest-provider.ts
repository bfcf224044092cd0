import { defineBrowserProvider } from '@vitest/browser'
import type { Browser, Page } from 'puppeteer-core'
import type { BrowserProvider } from 'vitest/node'
import { launchFirefox } from './firefox.ts'
import { Session } from './webdriver.ts'
import {
  type Display,
  startDisplay,
  startWebKitDriver,
  WEBKIT_CAPABILITIES,
  type WebKitDriver,
} from './webkit.ts'

// Vitest browser mode in Firefox and WebKit without a driver download: a provider only has to
// open the tester's URL in a real browser and close it at the end; the page talks to Vitest by
// itself. The browser-mode suite uses no provider commands (no userEvent, no mocking).

/** Firefox ESR over WebDriver BiDi (puppeteer-core). */
export const firefoxProvider = () =>
  defineBrowserProvider({
    name: 'firefox-bidi',
    supportedBrowser: ['firefox'],
    providerFactory: () => new FirefoxProvider(),
  })

/** WebKitGTK through WebKitWebDriver under Xvfb (WebDriver classic). */
export const webkitProvider = () =>
  defineBrowserProvider({
    name: 'webkitgtk-webdriver',
    supportedBrowser: ['webkit'],
    providerFactory: () => new WebKitProvider(),
  })

class FirefoxProvider implements BrowserProvider {
  name = 'firefox-bidi'
  supportsParallelism = false
  private browser: Promise<Browser> | undefined
  private readonly pages = new Map<string, Page>()

  getCommandsContext() {
    return {}
  }

  async openPage(sessionId: string, url: string) {
    this.browser ??= launchFirefox()
    const browser = await this.browser
    await this.pages.get(sessionId)?.close()
    const page = await browser.newPage()
    this.pages.set(sessionId, page)
    await page.goto(url, { timeout: 0 })
  }

  async close() {
    const browser = await this.browser
    this.browser = undefined
    this.pages.clear()
    await browser?.close()
  }
}

class WebKitProvider implements BrowserProvider {
  name = 'webkitgtk-webdriver'
  supportsParallelism = false
  private display: Promise<Display> | undefined
  // A driver serves one session, so each tester page gets a driver of its own.
  private readonly open = new Map<string, { driver: WebKitDriver; session: Session }>()

  getCommandsContext() {
    return {}
  }

  private async stop(sessionId: string) {
    const running = this.open.get(sessionId)
    this.open.delete(sessionId)
    await running?.session.delete().catch(() => {})
    await running?.driver.stop()
  }

  async openPage(sessionId: string, url: string) {
    this.display ??= startDisplay()
    const display = await this.display
    await this.stop(sessionId)
    const driver = await startWebKitDriver(display.name)
    const session = await Session.create(driver.url, WEBKIT_CAPABILITIES)
    this.open.set(sessionId, { driver, session })
    await session.send('POST', '/url', { url })
  }

  async close() {
    await Promise.all([...this.open.keys()].map((id) => this.stop(id)))
    const display = await this.display
    this.display = undefined
    await display?.stop()
  }
}
