import { type ChildProcess, spawn } from 'node:child_process'
import { onPath } from './path.ts'
import { freePort } from './port.ts'
import { waitReady } from './webdriver.ts'

/** What a WebKitGTK session is started with: MiniBrowser in automation mode. */
export const WEBKIT_CAPABILITIES = {
  'webkitgtk:browserOptions': { args: ['--automation'] },
  // Prompts are reported to the test, not answered by the driver behind its back.
  unhandledPromptBehavior: 'ignore',
}

/** WebKitWebDriver and Xvfb on PATH (Debian: webkit2gtk-driver, xvfb), or undefined. */
export function findWebKit(): string | undefined {
  const driver = onPath('WebKitWebDriver')
  return driver && onPath('Xvfb') ? driver : undefined
}

/** A child process started in a process group of its own, and how to stop the whole group. */
function group(child: ChildProcess) {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, s)
        } catch {}
      }
      signal('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))])
      signal('SIGKILL')
    },
  }
}

export interface Display {
  /** e.g. `:99`, for DISPLAY */
  name: string
  stop(): Promise<void>
}

/** Starts an X server of its own (Xvfb): WebKitGTK needs a display, even for pages nobody sees. */
export async function startDisplay(): Promise<Display> {
  const child = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
      detached: true,
    },
  )
  const { exited, stop } = group(child)
  const number = await new Promise<string>((resolve, reject) => {
    let text = ''
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(text.trim())
    })
    void exited.then(() => reject(new Error('Xvfb exited before it chose a display')))
  })
  return { name: `:${number}`, stop }
}

export interface WebKitDriver {
  /** e.g. `http://127.0.0.1:41234` */
  url: string
  stop(): Promise<void>
}

/**
 * Starts WebKitWebDriver on `display` and resolves once it accepts a session. A driver serves
 * one session at a time, so each browser profile gets a driver of its own.
 */
export async function startWebKitDriver(display: string): Promise<WebKitDriver> {
  const driver = findWebKit()
  if (!driver)
    throw new Error('WebKitWebDriver or Xvfb not found (apt-get install webkit2gtk-driver xvfb)')
  const port = await freePort()
  const child = spawn(driver, [`--port=${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    // Its own process group, so stopping it also stops every browser it started.
    detached: true,
    env: { ...process.env, DISPLAY: display },
  })
  const { exited, stop } = group(child)
  const url = `http://127.0.0.1:${port}`
  await Promise.race([
    waitReady(url),
    exited.then(() => {
      throw new Error('WebKitWebDriver exited before it was ready')
    }),
  ])
  return { url, stop }
}
