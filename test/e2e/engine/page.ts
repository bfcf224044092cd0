import { EngineLocator, type LocatorHost } from './locator.ts'
import type {
  BrowserContext,
  ContextDriver,
  Dialog,
  DriverDialog,
  Keyboard,
  Mouse,
  Page,
  PageDriver,
  WaitOptions,
} from './types.ts'

const POLL_MS = 50
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The engine-neutral page: Playwright's names, built on one engine's `PageDriver`. */
export class EnginePage implements Page, LocatorHost {
  private readonly listeners = new Set<(dialog: Dialog) => void>()
  private position = { x: 0, y: 0 }
  private address = 'about:blank'
  readonly mouse: Mouse
  readonly keyboard: Keyboard

  constructor(
    readonly driver: PageDriver,
    private readonly context: { readonly timeout: number; forget(page: EnginePage): void },
  ) {
    driver.onDialog((d) => this.dialog(d))
    const pointer = async (action: 'move' | 'down' | 'up', x: number, y: number) => {
      this.position = { x, y }
      await driver.pointer(action, x, y)
    }
    this.mouse = {
      move: (x, y) => pointer('move', x, y),
      down: () => pointer('down', this.position.x, this.position.y),
      up: () => pointer('up', this.position.x, this.position.y),
      click: async (x, y) => {
        await pointer('move', x, y)
        await pointer('down', x, y)
        await pointer('up', x, y)
      },
    }
    this.keyboard = { type: (text) => driver.type(text), press: (key) => driver.press(key) }
  }

  get timeout() {
    return this.context.timeout
  }

  /** Playwright's rule: a prompt nobody listens to is dismissed. */
  private dialog(d: DriverDialog) {
    if (!this.listeners.size) {
      void d.dismiss().catch(() => {})
      return
    }
    const dialog: Dialog = {
      type: () => d.type,
      message: () => d.message,
      accept: () => d.accept(),
      dismiss: () => d.dismiss(),
    }
    for (const listener of this.listeners) listener(dialog)
  }

  /** Re-runs `check` until it returns a value; errors thrown by `check` end the wait at once. */
  async poll<T>(what: string, timeout: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeout
    for (;;) {
      const value = await check()
      if (value !== undefined) return value
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${timeout} ms waiting for ${what}`)
      await sleep(POLL_MS)
    }
  }

  async goto(url: string, options?: WaitOptions & { waitUntil?: 'load' | 'domcontentloaded' }) {
    this.address = url
    await this.driver.goto(url, options?.waitUntil ?? 'load', options?.timeout ?? this.timeout)
  }

  async reload(options?: WaitOptions & { waitUntil?: 'load' | 'domcontentloaded' }) {
    await this.driver.reload(options?.waitUntil ?? 'load', options?.timeout ?? this.timeout)
  }

  async close(options?: { runBeforeUnload?: boolean }) {
    this.context.forget(this)
    await this.driver.close(options?.runBeforeUnload ?? false)
  }

  url() {
    return this.address
  }

  async evaluate<R, Arg>(fn: (arg: Arg) => R | Promise<R>, arg?: Arg): Promise<R> {
    return (await this.driver.evaluate(fn.toString(), arg)) as R
  }

  async waitForFunction<Arg>(
    fn: (arg: Arg) => unknown,
    arg?: Arg,
    options?: WaitOptions,
  ): Promise<void> {
    const source = `(arg) => Boolean((${fn.toString()})(arg))`
    let failure: unknown
    await this.poll(
      `${fn.toString().slice(0, 200)}`,
      options?.timeout ?? this.timeout,
      async () => {
        // A navigation in progress destroys the page's context; the next poll sees the new page.
        try {
          return (await this.driver.evaluate(source, arg)) ? true : undefined
        } catch (error) {
          failure = error
          return undefined
        }
      },
    ).catch((error: Error) => {
      throw failure ? new Error(`${error.message} (last error: ${failure})`) : error
    })
  }

  async waitForSelector(
    css: string,
    options?: WaitOptions & { state?: 'attached' | 'detached' | 'visible' | 'hidden' },
  ) {
    await new EngineLocator(this, [{ css }], false).first().waitFor(options)
  }

  waitForTimeout(ms: number) {
    return sleep(ms)
  }

  async addScriptTag({ content }: { content: string }) {
    await this.driver.evaluate(
      `(content) => { const s = document.createElement('script'); s.textContent = content; document.head.append(s) }`,
      content,
    )
  }

  locator(css: string) {
    return new EngineLocator(this, [{ css }])
  }

  getByTestId(id: string) {
    return new EngineLocator(this, [{ css: `[data-testid=${JSON.stringify(id)}]` }])
  }

  on(_event: 'dialog', listener: (dialog: Dialog) => void) {
    this.listeners.add(listener)
  }

  off(_event: 'dialog', listener: (dialog: Dialog) => void) {
    this.listeners.delete(listener)
  }
}

/** One browser profile, with the pages opened in it. */
export class EngineContext implements BrowserContext {
  private readonly open: EnginePage[] = []
  timeout = 30_000

  constructor(private readonly driver: ContextDriver) {}

  async newPage() {
    const context = this
    const page = new EnginePage(await this.driver.newPage(), {
      get timeout() {
        return context.timeout
      },
      forget: (p) => void context.open.splice(context.open.indexOf(p) >>> 0, 1),
    })
    this.open.push(page)
    return page
  }

  pages() {
    return [...this.open]
  }

  setDefaultTimeout(ms: number) {
    this.timeout = ms
  }

  async close() {
    this.open.length = 0
    await this.driver.close()
  }
}
