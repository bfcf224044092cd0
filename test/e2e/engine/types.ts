// The engine-neutral surface the scenarios are written against. Its names and signatures are
// those of playwright-core's Page, BrowserContext and Locator, so a scenario written for
// Playwright runs here unchanged, as long as it keeps to this subset. Each engine implements only
// the small `PageDriver` below; everything else (locators, waiting, dialogs) is shared, so the
// three engines behave the same way under the same test.

export type { EngineName } from '../../../scripts/engines/index.ts'

import type { EngineName } from '../../../scripts/engines/index.ts'

export interface WaitOptions {
  /** Milliseconds; default the context's timeout (20 s). */
  timeout?: number
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** A lazily resolved selection of elements, re-resolved on every use (as Playwright's). */
export interface Locator {
  click(options?: WaitOptions): Promise<void>
  fill(value: string, options?: WaitOptions): Promise<void>
  press(key: string, options?: WaitOptions): Promise<void>
  textContent(options?: WaitOptions): Promise<string | null>
  getAttribute(name: string, options?: WaitOptions): Promise<string | null>
  inputValue(options?: WaitOptions): Promise<string>
  boundingBox(options?: WaitOptions): Promise<Box | null>
  isVisible(): Promise<boolean>
  count(): Promise<number>
  waitFor(
    options?: WaitOptions & { state?: 'attached' | 'detached' | 'visible' | 'hidden' },
  ): Promise<void>
  nth(index: number): Locator
  first(): Locator
  last(): Locator
  locator(css: string): Locator
  getByTestId(id: string): Locator
  filter(options: { hasText?: string | RegExp }): Locator
  and(other: Locator): Locator
}

export interface Mouse {
  move(x: number, y: number): Promise<void>
  down(): Promise<void>
  up(): Promise<void>
  click(x: number, y: number): Promise<void>
}

export interface Keyboard {
  /** Types text into the focused element, one key at a time. */
  type(text: string): Promise<void>
  /** Presses one key: a character, or a name such as `Enter`, `Escape`, `Tab`, `Backspace`. */
  press(key: string): Promise<void>
}

/** A prompt the page opened: `beforeunload`, `alert`, `confirm` or `prompt`. */
export interface Dialog {
  type(): string
  message(): string
  accept(): Promise<void>
  dismiss(): Promise<void>
}

type Serializable = unknown
type PageFunction<Arg, R> = (arg: Arg) => R | Promise<R>

export interface Page {
  goto(
    url: string,
    options?: WaitOptions & { waitUntil?: 'load' | 'domcontentloaded' },
  ): Promise<void>
  reload(options?: WaitOptions & { waitUntil?: 'load' | 'domcontentloaded' }): Promise<void>
  close(options?: { runBeforeUnload?: boolean }): Promise<void>
  url(): string
  evaluate<R, Arg extends Serializable = undefined>(fn: PageFunction<Arg, R>, arg?: Arg): Promise<R>
  waitForFunction<Arg extends Serializable = undefined>(
    fn: PageFunction<Arg, unknown>,
    arg?: Arg,
    options?: WaitOptions,
  ): Promise<void>
  waitForSelector(
    css: string,
    options?: WaitOptions & { state?: 'attached' | 'detached' | 'visible' | 'hidden' },
  ): Promise<void>
  /** A fixed pause. Scenarios wait for conditions; this is for "nothing happens for a while". */
  waitForTimeout(ms: number): Promise<void>
  addScriptTag(options: { content: string }): Promise<void>
  locator(css: string): Locator
  getByTestId(id: string): Locator
  on(event: 'dialog', listener: (dialog: Dialog) => void): void
  off(event: 'dialog', listener: (dialog: Dialog) => void): void
  readonly mouse: Mouse
  readonly keyboard: Keyboard
}

/** One browser profile: its own localStorage, sessionStorage and Web Locks, shared by its pages. */
export interface BrowserContext {
  newPage(): Promise<Page>
  pages(): Page[]
  setDefaultTimeout(ms: number): void
  close(): Promise<void>
}

// What each engine implements.

/** How a driver reports a prompt; `accept()` and `dismiss()` answer it, at most once. */
export interface DriverDialog {
  type: string
  message: string
  accept(): Promise<void>
  dismiss(): Promise<void>
}

/** One page (tab or window) as an engine's driver sees it. */
export interface PageDriver {
  goto(url: string, waitUntil: 'load' | 'domcontentloaded', timeout: number): Promise<void>
  reload(waitUntil: 'load' | 'domcontentloaded', timeout: number): Promise<void>
  close(runBeforeUnload: boolean): Promise<void>
  /** Runs `source`, a function's text, with `arg` in the page and returns its JSON result. */
  evaluate(source: string, arg: unknown): Promise<unknown>
  /** Native pointer input, in CSS pixels from the viewport's top left corner. */
  pointer(action: 'move' | 'down' | 'up', x: number, y: number): Promise<void>
  /** Native key input to the focused element. */
  type(text: string): Promise<void>
  press(key: string): Promise<void>
  /** Called for each prompt the page opens. */
  onDialog(listener: (dialog: DriverDialog) => void): void
}

export interface ContextDriver {
  newPage(): Promise<PageDriver>
  close(): Promise<void>
}

export interface EngineDriver {
  readonly name: EngineName
  newContext(viewport: { width: number; height: number }): Promise<ContextDriver>
  close(): Promise<void>
}
