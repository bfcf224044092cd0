import { onPath } from './path.ts'

/** The flags every Chromium in this project is started with (headless CI containers, no sandbox). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Chromium on PATH (`chromium`, else `chromium-browser`), or undefined. */
export function findChromium(): string | undefined {
  return onPath('chromium') ?? onPath('chromium-browser')
}
