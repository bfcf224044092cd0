import {
  pointerActions,
  pressActions,
  Session,
  typeActions,
  WebDriverError,
} from '../../../scripts/engines/webdriver.ts'
import { startWebKitDriver, WEBKIT_CAPABILITIES } from '../../../scripts/engines/webkit.ts'
import { pageExpression, pageResult } from './expression.ts'
import type { ContextDriver, DriverDialog, EngineDriver, PageDriver } from './types.ts'

/**
 * WebKitGTK through WebKitWebDriver (WebDriver classic) on the run's X display. A driver serves
 * one session, and a session is one browser profile, so each context starts a driver of its own;
 * its pages are windows. WebDriver talks to one window at a time, so each page's command
 * switches to its window first, under the session's lock.
 */
export function connectWebKit(display: string): EngineDriver {
  const open = new Set<() => Promise<void>>()
  return {
    name: 'webkit',
    async newContext(viewport): Promise<ContextDriver> {
      const driver = await startWebKitDriver(display)
      const session = await Session.create(driver.url, WEBKIT_CAPABILITIES).catch(async (error) => {
        await driver.stop()
        throw error
      })
      const close = async () => {
        open.delete(close)
        await session.delete().catch(() => {})
        await driver.stop()
      }
      open.add(close)
      await session.send('POST', '/window/rect', viewport)
      const windows: Windows = {
        current: (await session.send('GET', '/window')) as string,
        open: [],
      }
      let fresh = true
      return {
        async newPage() {
          if (fresh) {
            fresh = false
            windows.open.push(windows.current)
            return webkitPage(session, windows.current, windows)
          }
          const { handle } = (await session.exclusive(async () => {
            // A new window needs a current one to open from.
            if (!windows.open.includes(windows.current)) {
              await session.send('POST', '/window', { handle: windows.open[0] })
              windows.current = windows.open[0]!
            }
            return session.send('POST', '/window/new', { type: 'window' })
          })) as { handle: string }
          windows.open.push(handle)
          return webkitPage(session, handle, windows)
        },
        close,
      }
    },
    async close() {
      await Promise.all([...open].map((close) => close()))
    },
  }
}

interface Windows {
  /** The window WebDriver's commands go to now. */
  current: string
  open: string[]
}

const BEFOREUNLOAD_MARK = '__engine_beforeunload'

function webkitPage(session: Session, handle: string, state: Windows): PageDriver {
  const listeners: ((dialog: DriverDialog) => void)[] = []
  // Every command for this page runs in its window.
  const inWindow = <T>(work: () => Promise<T>) =>
    session.exclusive(async () => {
      if (state.current !== handle) {
        await session.send('POST', '/window', { handle })
        state.current = handle
      }
      return work()
    })
  const actions = (body: unknown) => inWindow(() => session.send('POST', '/actions', body))
  const run = (source: string, arg: unknown) =>
    session.send('POST', '/execute/async', {
      script: `const done = arguments[0]; ${pageExpression(source, arg)}.then(done, (e) => done({ error: String((e && e.stack) || e) }))`,
      args: [],
    })
  const evaluate = (source: string, arg: unknown) =>
    inWindow(async () => {
      const value = await run(source, arg)
      if (typeof value === 'object' && value && 'error' in value)
        throw new Error(String(value.error))
      return pageResult(value)
    })

  // WebKitWebDriver goes through a beforeunload prompt without showing it to the client. The
  // page's own answer is what matters: a listener added after the page's own sees whether it
  // asked (cancelled the event), and the harness reports that prompt as Playwright would.
  const watchUnload = () =>
    run(
      `() => addEventListener('beforeunload', (e) => { if (e.defaultPrevented) sessionStorage.setItem('${BEFOREUNLOAD_MARK}', '1') })`,
      undefined,
    )
  const reportUnload = async () => {
    const asked = pageResult(
      await run(
        `() => { const v = sessionStorage.getItem('${BEFOREUNLOAD_MARK}'); sessionStorage.removeItem('${BEFOREUNLOAD_MARK}'); return v }`,
        undefined,
      ),
    )
    if (!asked) return
    const dialog: DriverDialog = {
      type: 'beforeunload',
      message: '',
      accept: async () => {},
      dismiss: async () => {
        throw new Error(
          'WebKitWebDriver has already left the page: a beforeunload prompt cannot be dismissed',
        )
      },
    }
    for (const listener of listeners) listener(dialog)
  }

  return {
    goto: (url) => inWindow(() => session.send('POST', '/url', { url }).then(() => {})),
    reload: () =>
      inWindow(async () => {
        await watchUnload()
        await session.send('POST', '/refresh')
        await reportUnload()
      }),
    // WebDriver closes a window without running its beforeunload handlers.
    async close() {
      await inWindow(async () => {
        await session.send('DELETE', '/window').catch((error: unknown) => {
          // The last window's close ends the session.
          if (!(error instanceof WebDriverError)) throw error
        })
        state.open.splice(state.open.indexOf(handle), 1)
        state.current = ''
      })
    },
    evaluate,
    pointer: (action, x, y) => actions(pointerActions(action, x, y)).then(() => {}),
    type: (text) => actions(typeActions(text)).then(() => {}),
    press: (key) => actions(pressActions(key)).then(() => {}),
    onDialog(listener) {
      listeners.push(listener)
    },
  }
}
