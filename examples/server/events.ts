/**
 * Server-sent events for the demo API: one numbered log per topic (a project, a chat room), and
 * every open `text/event-stream` connection of that topic. A client that reconnects with
 * `Last-Event-ID: n` gets exactly the events after n, so a dropped connection loses nothing and
 * repeats nothing; a client without one gets the whole log first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface StreamRecord {
  /** Event-stream connections opened. */
  connects: number
  /** The `Last-Event-ID` each connection sent, in order (`null`: none). */
  resumes: (string | null)[]
  /** Events written to clients, counting each copy. */
  sent: number
  /** Connections the server cut (the `dropStreams` knob). */
  dropped: number
  /** Connections open now. */
  open: number
}

interface Topic {
  log: { id: number; event: string; data: string }[]
  clients: Set<ServerResponse>
  record: Omit<StreamRecord, 'open'>
}

export interface EventHub {
  /** Appends an event to the topic's log and sends it to every open connection. */
  publish(topic: string, event: string, data: unknown): number
  /** Serves `GET …/events`: the backlog after `Last-Event-ID`, then every new event. */
  connect(topic: string, req: IncomingMessage, res: ServerResponse, retry: number): void
  /** Cuts every open connection (of one topic, or all), as a proxy or a flaky network would. */
  drop(topic?: string): void
  /** One topic's connections, or every topic's added up. */
  record(topic?: string): StreamRecord
  /** Closes every connection and forgets every topic. */
  reset(): void
}

const write = (res: ServerResponse, e: { id: number; event: string; data: string }) =>
  res.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${e.data}\n\n`)

export function createHub(): EventHub {
  let topics = new Map<string, Topic>()
  const topic = (name: string): Topic => {
    let t = topics.get(name)
    if (!t) {
      t = { log: [], clients: new Set(), record: { connects: 0, resumes: [], sent: 0, dropped: 0 } }
      topics.set(name, t)
    }
    return t
  }

  return {
    publish(name, event, value) {
      const t = topic(name)
      const e = { id: t.log.length + 1, event, data: JSON.stringify(value) }
      t.log.push(e)
      for (const res of t.clients) {
        write(res, e)
        t.record.sent++
      }
      return e.id
    },
    connect(name, req, res, retry) {
      const t = topic(name)
      const header = req.headers['last-event-id']
      const last = typeof header === 'string' ? header : null
      t.record.connects++
      t.record.resumes.push(last)
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      })
      res.write(`retry: ${retry}\n\n`)
      const after = last !== null && /^\d+$/.test(last) ? Number(last) : 0
      for (const e of t.log.slice(after)) {
        write(res, e)
        t.record.sent++
      }
      t.clients.add(res)
      // A comment now and then keeps proxies from closing an idle connection.
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
      res.on('close', () => {
        clearInterval(ping)
        t.clients.delete(res)
      })
    },
    drop(name) {
      for (const [key, t] of topics) {
        if (name !== undefined && key !== name) continue
        for (const res of t.clients) {
          t.record.dropped++
          res.socket?.destroy()
        }
      }
    },
    record(name) {
      const all = name === undefined ? [...topics.values()] : [topic(name)]
      const out: StreamRecord = { connects: 0, resumes: [], sent: 0, dropped: 0, open: 0 }
      for (const t of all) {
        out.connects += t.record.connects
        out.resumes.push(...t.record.resumes)
        out.sent += t.record.sent
        out.dropped += t.record.dropped
        out.open += t.clients.size
      }
      return out
    },
    reset() {
      for (const t of topics.values()) for (const res of t.clients) res.socket?.destroy()
      topics = new Map()
    },
  }
}
