import { createServer } from 'node:net'

/**
 * A port the system just gave out as free on 127.0.0.1, for servers that take a number and not
 * 0 (WebKitWebDriver; Vitest's browser server, which reads 0 as "the default, 63315").
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
