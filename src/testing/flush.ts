/**
 * The real `setImmediate` (or a MessageChannel in a browser), taken when this module loads, so
 * flushing keeps working while fake timers are installed.
 */
const realImmediate =
  typeof globalThis.setImmediate === 'function'
    ? globalThis.setImmediate.bind(globalThis)
    : undefined
let channel: MessageChannel | undefined

const macrotask = (): Promise<void> =>
  new Promise((resolve) => {
    if (realImmediate) realImmediate(resolve)
    else {
      channel ??= new MessageChannel()
      channel.port1.onmessage = () => resolve()
      channel.port2.postMessage(0)
    }
  })

/**
 * Lets every pending promise callback run, for `turns` macrotask turns (default 3): enough for
 * the queue to react to an answer and start what follows.
 */
export async function flush(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await macrotask()
}
