import { findChromium } from './chromium.ts'
import { findFirefox } from './firefox.ts'
import { findWebKit } from './webkit.ts'

/** The engines the browser suite runs in, in the order it runs them. */
export const ENGINES = ['chromium', 'firefox', 'webkit'] as const
export type EngineName = (typeof ENGINES)[number]

/** The engine's browser (or, for WebKit, its driver) on this machine, or undefined. */
export function findEngine(name: EngineName): string | undefined {
  return name === 'chromium' ? findChromium() : name === 'firefox' ? findFirefox() : findWebKit()
}

/** The Debian packages that bring each engine. */
export const PACKAGES: Record<EngineName, string> = {
  chromium: 'chromium',
  firefox: 'firefox-esr',
  webkit: 'webkit2gtk-driver xvfb',
}

/** The engine a run is for: BROWSER_ENGINE=chromium|firefox|webkit, default chromium. */
export function engineFromEnv(): EngineName {
  const name = process.env.BROWSER_ENGINE ?? 'chromium'
  if (!(ENGINES as readonly string[]).includes(name))
    throw new Error(`BROWSER_ENGINE must be one of ${ENGINES.join(', ')}, not ${name}`)
  return name as EngineName
}
