import { flush } from '../../src/testing/flush.ts'

export { flush }

/** Flushes until `condition()` holds; throws with `what` after `tries` turns. */
export async function until(
  condition: () => boolean,
  what = 'condition',
  tries = 200,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return
    await flush(1)
  }
  if (!condition()) throw new Error(`timed out waiting for ${what}`)
}

/** Whether a promise has settled, without waiting for it. */
export async function state<T>(promise: Promise<T>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const marker = {}
  try {
    const v = await Promise.race([promise, flush(1).then(() => marker)])
    return v === marker ? 'pending' : 'fulfilled'
  } catch {
    return 'rejected'
  }
}
