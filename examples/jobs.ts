/**
 * Asynchronous jobs with `fetch-queue/jobs`, end to end: a tiny local API that answers a POST with
 * `202 Accepted` and a status URL, a queue that follows the job to its result, a reload in the
 * middle of a job (the next page polls on and never sends the POST again), and a lost 202 (the
 * retry carries the same idempotency key, so the server hands back the job it already made).
 * Run it with `npx tsx examples/jobs.ts`.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createQueue, localStorageSpool, type QueueEvents } from 'fetch-queue'
import { followJobs } from 'fetch-queue/jobs'
import { memoryStorage } from 'fetch-queue/testing'

// ---- the server ---------------------------------------------------------------------------------
// POST /reports → 202 with Location: /jobs/:id. A repeated Idempotency-Key gets the job it made.
// GET /jobs/:id → 202 while the job runs, then 303 See Other → /jobs/:id/result → 200.
const jobs = new Map<string, { readyAt: number; result: string }>()
const jobOfKey = new Map<string, string>()
let posts = 0

async function reportsApi(req: IncomingMessage, res: ServerResponse) {
  for await (const _ of req);
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  if (req.method === 'POST' && path === '/reports') {
    posts++
    const key = String(req.headers['idempotency-key'])
    let id = jobOfKey.get(key)
    if (id === undefined) {
      id = String(jobs.size + 1)
      jobs.set(id, { readyAt: Date.now() + 300, result: `report ${id}` })
      jobOfKey.set(key, id)
    }
    return res.writeHead(202, { location: `/jobs/${id}` }).end()
  }
  const [, , id, result] = path.split('/')
  const job = jobs.get(id ?? '')
  if (!job) return res.writeHead(404).end()
  if (result) return res.writeHead(200, { 'content-type': 'text/plain' }).end(job.result)
  if (Date.now() < job.readyAt) return res.writeHead(202).end()
  res.writeHead(303, { location: `/jobs/${id}/result` }).end()
}

// To lose an answer: the job is made, then the connection drops instead of the 202.
let loseNextAnswer = false
const server = createServer((req, res) => {
  if (loseNextAnswer && req.method === 'POST') {
    loseNextAnswer = false
    res.writeHead = (() => {
      req.socket.destroy()
      return res
    }) as never
  }
  reportsApi(req, res).catch(() => req.socket.destroy())
})
server.listen(0)
await once(server, 'listening')
const api = `http://localhost:${(server.address() as AddressInfo).port}`

// ---- the app: one queue per page, over the same storage ------------------------------------------
const storage = memoryStorage() // localStorage, in Node
const openPage = () =>
  createQueue({
    spool: localStorageSpool({ key: 'reports:user-1', storage, locks: null }),
    follow: followJobs({ interval: 50 }),
    retry: { baseDelay: 50 },
  })

// 1. A job followed to its result: the caller gets the result, not the 202.
const page = openPage()
page.on('accepted', ({ location }) => console.log('accepted, polling', location.replace(api, '')))
const report = await page.fetch(`${api}/reports`, { method: 'POST', json: { month: '2024-05' } })
console.log('result:', report.status, await report.text())

// 2. A reload in the middle of a job: the next page polls on; the POST is not sent again.
page.fetch(`${api}/reports`, { method: 'POST', json: { month: '2024-06' }, meta: { month: 6 } })
await new Promise((resolve) => page.on('accepted', resolve))
page.dispose() // the page goes away; the spool keeps the job
const next = openPage()
// Its callers are gone with the old page: the outcome arrives by event, with the item's meta.
const [{ item, response }] = await new Promise<[QueueEvents['sent']]>((resolve) => {
  const off = next.on('sent', (event) => {
    off()
    resolve([event])
  })
})
console.log('after the reload:', item.meta, await response.text())
console.log('POSTs so far:', posts) // 2: one per report

// 3. A lost 202: the POST is retried with the same key, and the server answers with its job.
loseNextAnswer = true
const again = await next.fetch(`${api}/reports`, { method: 'POST', json: { month: '2024-07' } })
console.log('after a lost 202:', await again.text(), `(${posts} POSTs, ${jobs.size} jobs)`)

next.dispose()
server.close()
if (posts !== 4 || jobs.size !== 3) throw new Error(`expected 4 POSTs and 3 jobs`)
