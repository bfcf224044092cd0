import type { Box, Locator, PageDriver, WaitOptions } from './types.ts'

/** One step of a selection, resolved in the page from the document down. */
export type Step =
  | { css: string }
  | { nth: number }
  | { hasText: string | { source: string; flags: string } }
  | { and: Step[] }

// Runs in the page: the elements `steps` select, in document order. Text matching follows
// Playwright's: a string is a case-insensitive substring of the whitespace-normalized text.
const RESOLVE = `function resolve(steps) {
  let found = [document]
  for (const step of steps) {
    if ('css' in step) {
      const next = new Set()
      for (const root of found) for (const el of root.querySelectorAll(step.css)) next.add(el)
      found = [...next]
    } else if ('nth' in step) {
      const el = found.at(step.nth)
      found = el ? [el] : []
    } else if ('hasText' in step) {
      const h = step.hasText
      const test = typeof h === 'string'
        ? (t) => t.toLowerCase().includes(h.replace(/\\s+/g, ' ').trim().toLowerCase())
        : (t) => new RegExp(h.source, h.flags).test(t)
      found = found.filter((el) => test((el.textContent || '').replace(/\\s+/g, ' ').trim()))
    } else {
      const other = resolve(step.and)
      found = found.filter((el) => other.includes(el))
    }
  }
  return found.filter((el) => el !== document)
}`

// Runs in the page: what a wait or an action needs to know about the selection.
const INSPECT = `(q) => {
  ${RESOLVE}
  const found = resolve(q.steps)
  const el = found[0]
  const visible = (e) => {
    const r = e.getBoundingClientRect()
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'
  }
  const result = { count: found.length, visible: el ? visible(el) : false }
  if (!el || q.op === 'count') return result
  if (q.op === 'scroll') el.scrollIntoView({ block: 'center', inline: 'center' })
  if (q.op === 'focus' || q.op === 'select') {
    el.focus()
    if (q.op === 'select' && typeof el.select === 'function') el.select()
  }
  const r = el.getBoundingClientRect()
  result.box = { x: r.x, y: r.y, width: r.width, height: r.height }
  result.text = el.textContent
  result.attribute = q.name == null ? null : el.getAttribute(q.name)
  result.value = 'value' in el ? String(el.value) : null
  result.enabled = !el.disabled
  result.focused = document.activeElement === el
  return result
}`

interface Inspection {
  count: number
  visible: boolean
  box?: Box
  text?: string | null
  attribute?: string | null
  value?: string | null
  enabled?: boolean
  focused?: boolean
}

type State = 'attached' | 'detached' | 'visible' | 'hidden'

export interface LocatorHost {
  readonly driver: PageDriver
  readonly timeout: number
  poll<T>(what: string, timeout: number, check: () => Promise<T | undefined>): Promise<T>
}

export class EngineLocator implements Locator {
  constructor(
    private readonly host: LocatorHost,
    readonly steps: Step[],
    private readonly strict = true,
  ) {}

  private get description() {
    return JSON.stringify(this.steps)
  }

  private with(step: Step, strict = this.strict) {
    return new EngineLocator(this.host, [...this.steps, step], strict)
  }

  private inspect(op: string, name?: string) {
    return this.host.driver.evaluate(INSPECT, {
      steps: this.steps,
      op,
      name,
    }) as Promise<Inspection>
  }

  /** Waits until the selection is one element (the first, if not strict) in `state`. */
  private async settle(
    state: State,
    options: WaitOptions | undefined,
    op = 'read',
    name?: string,
  ): Promise<Inspection> {
    const timeout = options?.timeout ?? this.host.timeout
    return this.host.poll(`${this.description} to be ${state}`, timeout, async () => {
      const seen = await this.inspect(op, name)
      if (this.strict && seen.count > 1)
        throw new Error(`strict mode violation: ${this.description} matched ${seen.count} elements`)
      const ok =
        state === 'attached'
          ? seen.count > 0
          : state === 'detached'
            ? seen.count === 0
            : state === 'visible'
              ? seen.visible
              : !seen.visible
      return ok ? seen : undefined
    })
  }

  /** Waits for a visible, enabled element, scrolls it into view, and returns its centre. */
  private async target(options?: WaitOptions) {
    const timeout = options?.timeout ?? this.host.timeout
    const seen = await this.host.poll(`${this.description} to be actionable`, timeout, async () => {
      const s = await this.inspect('scroll')
      if (this.strict && s.count > 1)
        throw new Error(`strict mode violation: ${this.description} matched ${s.count} elements`)
      return s.visible && s.enabled ? s : undefined
    })
    const box = seen.box!
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  }

  async click(options?: WaitOptions) {
    const { x, y } = await this.target(options)
    await this.host.driver.pointer('move', x, y)
    await this.host.driver.pointer('down', x, y)
    await this.host.driver.pointer('up', x, y)
  }

  async fill(value: string, options?: WaitOptions) {
    await this.target(options)
    await this.settle('visible', options, 'select')
    if (value) await this.host.driver.type(value)
    else await this.host.driver.press('Backspace')
  }

  async press(key: string, options?: WaitOptions) {
    const seen = await this.settle('attached', options)
    if (!seen.focused) await this.settle('attached', options, 'focus')
    await this.host.driver.press(key)
  }

  async textContent(options?: WaitOptions) {
    return (await this.settle('attached', options)).text ?? null
  }

  async getAttribute(name: string, options?: WaitOptions) {
    return (await this.settle('attached', options, 'read', name)).attribute ?? null
  }

  async inputValue(options?: WaitOptions) {
    return (await this.settle('attached', options)).value ?? ''
  }

  async boundingBox(options?: WaitOptions) {
    const seen = await this.settle('attached', options)
    return seen.visible ? seen.box! : null
  }

  async isVisible() {
    return (await this.inspect('count')).visible
  }

  async count() {
    return (await this.inspect('count')).count
  }

  async waitFor(options?: WaitOptions & { state?: State }) {
    await this.settle(options?.state ?? 'visible', options)
  }

  nth(index: number) {
    return this.with({ nth: index })
  }

  first() {
    return this.nth(0)
  }

  last() {
    return this.nth(-1)
  }

  locator(css: string) {
    return this.with({ css })
  }

  getByTestId(id: string) {
    return this.with({ css: `[data-testid=${JSON.stringify(id)}]` })
  }

  filter({ hasText }: { hasText?: string | RegExp }) {
    if (hasText === undefined) return this
    return this.with({
      hasText:
        typeof hasText === 'string' ? hasText : { source: hasText.source, flags: hasText.flags },
    })
  }

  and(other: Locator) {
    return this.with({ and: (other as EngineLocator).steps })
  }
}
