import { type Browser, chromium, type Page } from 'playwright-core'
import { pageExpression, pageResult } from './expression.ts'
import type { ContextDriver, DriverDialog, EngineDriver, PageDriver } from './types.ts'

/** Chromium through playwright-core, connected to the browser server the global setup started. */
export async function connectChromium(endpoint: string): Promise<EngineDriver> {
  const browser: Browser = await chromium.connect(endpoint)
  return {
    name: 'chromium',
    async newContext(viewport): Promise<ContextDriver> {
      const context = await browser.newContext({ viewport })
      return {
        newPage: async () => chromiumPage(await context.newPage()),
        close: () => context.close(),
      }
    },
    close: () => browser.close(),
  }
}

function chromiumPage(page: Page): PageDriver {
  return {
    async goto(url, waitUntil, timeout) {
      await page.goto(url, { waitUntil, timeout })
    },
    async reload(waitUntil, timeout) {
      await page.reload({ waitUntil, timeout })
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
    press: (key) => page.keyboard.press(key),
    onDialog(listener) {
      page.on('dialog', (d) => {
        const answer: DriverDialog = {
          type: d.type(),
          message: d.message(),
          accept: () => d.accept(),
          dismiss: () => d.dismiss(),
        }
        listener(answer)
      })
    },
  }
}
