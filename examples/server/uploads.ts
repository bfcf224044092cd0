import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The largest upload the demo server reads. */
const MAX_BYTES = 64 * 1024 * 1024

/**
 * `POST /uploads?rate=BYTES_PER_SECOND`: reads the body, at most `rate` bytes a second when given
 * (so upload progress can be watched on a fast local connection), and answers
 * `{ bytes, sha256 }` of what arrived.
 */
export async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  if (req.method !== 'POST') return json(405, { error: 'method not allowed' })
  const rate = Number(url.searchParams.get('rate')) || 0
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length
    if (bytes > MAX_BYTES) {
      json(413, { error: `over ${MAX_BYTES} bytes` })
      return void req.destroy()
    }
    hash.update(chunk)
    // Not reading holds the client back: TCP's flow control does the throttling.
    if (rate) await new Promise((r) => setTimeout(r, (chunk.length / rate) * 1000))
  }
  json(200, { bytes, sha256: hash.digest('hex') })
}
