/**
 * Lets every pending promise callback run. Uses the real `setImmediate` (or a MessageChannel in a
 * browser) captured at import, so it keeps working while fake timers are installed.
 */
const realImmediate =
  typeof globalThis.setImmediate === 'function'
    ? globalThis.setImmediate.bind(globalThis)
    : undefined
const channel = realImmediate ? undefined : new MessageChannel()

const macrotask = (): Promise<void> =>
  new Promise((resolve) => {
    if (realImmediate) realImmediate(resolve)
    else {
      channel!.port1.onmessage = () => resolve()
      channel!.port2.postMessage(0)
    }
  })

/** Runs microtasks until nothing is left for `turns` macrotask turns. */
export async function flush(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await macrotask()
}

/** Flushes until `condition()` holds; throws with `what` after `tries` turns. */
export async function until(
  condition: () => boolean,
  what = 'condition',
  tries = 200,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return
    await macrotask()
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
