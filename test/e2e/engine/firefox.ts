import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { pageExpression, pageResult } from './expression.ts'
import type { ContextDriver, EngineDriver, PageDriver } from './types.ts'

/** Firefox through puppeteer-core over WebDriver BiDi, connected to the global setup's browser. */
export async function connectFirefox(endpoint: string): Promise<EngineDriver> {
  const browser: Browser = await puppeteer.connect({
    browserWSEndpoint: endpoint,
    protocol: 'webDriverBiDi',
  })
  return {
    name: 'firefox',
    async newContext(viewport): Promise<ContextDriver> {
      const context = await browser.createBrowserContext()
      return {
        async newPage() {
          // A window, not a tab: a background tab is hidden, and hidden pages stop polling.
          const page = await context.newPage({ type: 'window' })
          await page.setViewport(viewport)
          return firefoxPage(page)
        },
        close: () => context.close(),
      }
    },
    close: () => browser.disconnect(),
  }
}

function firefoxPage(page: Page): PageDriver {
  return {
    async goto(url, waitUntil, timeout) {
      await page.goto(url, {
        waitUntil: waitUntil === 'load' ? 'load' : 'domcontentloaded',
        timeout,
      })
    },
    async reload(waitUntil, timeout) {
      await page.reload({ waitUntil: waitUntil === 'load' ? 'load' : 'domcontentloaded', timeout })
    },
    close: (runBeforeUnload) => page.close({ runBeforeUnload }),
    async evaluate(source, arg) {
      return pageResult(await page.evaluate(pageExpression(source, arg)))
    },
    pointer: (action, x, y) =>
      action === 'move'
        ? page.mouse.move(x, y)
        : action === 'down'
          ? page.mouse.down()
          : page.mouse.up(),
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key as never),
    onDialog(listener) {
      page.on('dialog', (d) =>
        listener({
          type: d.type(),
          message: d.message(),
          accept: () => d.accept(),
          dismiss: () => d.dismiss(),
        }),
      )
    },
  }
}
