import puppeteer from 'puppeteer-core'
import { onPath } from './path.ts'

/** Firefox ESR on PATH (Debian: firefox-esr), else a plain `firefox`, or undefined. */
export function findFirefox(): string | undefined {
  return onPath('firefox-esr') ?? onPath('firefox')
}

/** Headless Firefox driven over WebDriver BiDi (there is no geckodriver in Debian). */
export async function launchFirefox() {
  const executablePath = findFirefox()
  if (!executablePath) throw new Error('Firefox not found on PATH (apt-get install firefox-esr)')
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocol: 'webDriverBiDi',
  })
}
