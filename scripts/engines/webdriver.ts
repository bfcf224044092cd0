// A small client for WebDriver classic (the W3C protocol over HTTP), enough to drive WebKitGTK's
// WebKitWebDriver: sessions, windows, navigation, scripts and input actions.

export class WebDriverError extends Error {
  override name = 'WebDriverError'
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`)
  }
}

/** Sends one command to the driver at `base` and returns its `value`. */
export async function command(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
  })
  const json = (await response.json()) as {
    value: unknown & { error?: string; message?: string }
  }
  if (!response.ok || json.value?.error) {
    throw new WebDriverError(
      json.value?.error ?? String(response.status),
      json.value?.message ?? '',
    )
  }
  return json.value
}

/** Resolves once the driver answers `/status` as ready, or rejects after `timeout` ms. */
export async function waitReady(base: string, timeout = 20_000) {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      const status = (await command(base, 'GET', '/status')) as { ready?: boolean }
      if (status.ready !== false) return
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** One WebDriver session: one browser profile with its windows. Commands run one at a time. */
export class Session {
  private tail: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly base: string,
    readonly id: string,
  ) {}

  static async create(base: string, capabilities: Record<string, unknown>) {
    const value = (await command(base, 'POST', '/session', {
      capabilities: { alwaysMatch: capabilities },
    })) as { sessionId: string }
    return new Session(base, value.sessionId)
  }

  /** Runs `work` after every command queued before it: one command, or a switch and a command. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work)
    this.tail = run.catch(() => {})
    return run
  }

  send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    return command(this.base, method, `/session/${this.id}${path}`, body)
  }

  delete() {
    return command(this.base, 'DELETE', `/session/${this.id}`)
  }
}

// The WebDriver codes of the named keys Playwright's `press` accepts.
const KEYS: Record<string, string> = {
  Enter: '\uE007',
  Backspace: '\uE003',
  Tab: '\uE004',
  Escape: '\uE00C',
  Delete: '\uE017',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Home: '\uE011',
  End: '\uE010',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Meta: '\uE03D',
}

/** Key actions for `text` typed one character at a time. */
export function typeActions(text: string) {
  const actions = [...text].flatMap((value) => [
    { type: 'keyDown', value },
    { type: 'keyUp', value },
  ])
  return { actions: [{ type: 'key', id: 'keyboard', actions }] }
}

/** Key actions for one press in Playwright's notation: `Enter`, `a`, `Control+A`. */
export function pressActions(key: string) {
  const parts = key.length > 1 ? key.split('+') : [key]
  const values = parts.map((part) => {
    const value = KEYS[part] ?? part
    if ([...value].length !== 1) throw new Error(`unknown key: ${part}`)
    return value
  })
  const actions = [
    ...values.map((value) => ({ type: 'keyDown', value })),
    ...values.reverse().map((value) => ({ type: 'keyUp', value })),
  ]
  return { actions: [{ type: 'key', id: 'keyboard', actions }] }
}

/** Pointer actions: a move to (x, y) in the viewport, a button press or a release. */
export function pointerActions(action: 'move' | 'down' | 'up', x: number, y: number) {
  const step =
    action === 'move'
      ? { type: 'pointerMove', duration: 0, origin: 'viewport', x: Math.round(x), y: Math.round(y) }
      : { type: action === 'down' ? 'pointerDown' : 'pointerUp', button: 0 }
  return {
    actions: [
      { type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [step] },
    ],
  }
}
