import { execFileSync } from 'node:child_process'

/** The full path of `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  try {
    return (
      execFileSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() ||
      undefined
    )
  } catch {
    return undefined
  }
}
