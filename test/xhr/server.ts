import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Seen {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: Buffer
}

export interface TestServer {
  origin: string
  /** Requests that arrived, with their bodies, in order. */
  seen: Seen[]
  /** Requests whose connection the client closed before the answer. */
  closedEarly: string[]
  close(): Promise<void>
}

/** A small real HTTP server on 127.0.0.1 for the XHR transport's tests. */
export async function startTestServer(): Promise<TestServer> {
  const seen: Seen[] = []
  const closedEarly: string[] = []
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const entry = {
      method: req.method!,
      path: url.pathname,
      headers: req.headers,
      body: Buffer.concat(chunks),
    }
    seen.push(entry)
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.push(url.pathname)
    })
    const bytes = Number(url.searchParams.get('bytes') ?? 0)
    switch (url.pathname) {
      case '/text':
        res.writeHead(200, 'Fine', {
          'content-type': 'text/plain',
          'x-one': '1',
          'x-two': 'b, c',
        })
        return res.end('hello')
      case '/echo':
        res.writeHead(201, { 'content-type': 'application/json' })
        return res.end(
          JSON.stringify({
            method: req.method,
            bytes: entry.body.length,
            text: entry.body.toString(),
          }),
        )
      case '/status':
        res.writeHead(Number(url.searchParams.get('code')), url.searchParams.get('text') ?? '')
        return res.end()
      case '/bytes': {
        // Written in chunks so the client sees several progress events.
        if (url.searchParams.has('length')) res.writeHead(200, { 'content-length': String(bytes) })
        else res.writeHead(200)
        const chunk = Buffer.alloc(64 * 1024, 1)
        for (let sent = 0; sent < bytes; sent += chunk.length) {
          res.write(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))
          await new Promise((r) => setImmediate(r))
        }
        return res.end()
      }
      case '/redirect':
        res.writeHead(302, { location: '/text' })
        return res.end()
      case '/drop':
        return req.socket.destroy()
      case '/hang':
        return // never answers; the client's abort closes it
      default:
        res.writeHead(404)
        res.end('not found')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    closedEarly,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
