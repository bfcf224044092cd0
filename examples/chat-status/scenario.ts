/**
 * Drives a rendered chat the way a user would (type, Send, Retry, Give up) against a real local
 * server that can be taken down, and checks what the page says at each step. Each framework
 * example calls `runScenario` with its own way to mount the chat.
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FetchQueue } from 'fetch-queue'
import { createChatQueue } from './chat.ts'

/** Mounts the chat into `root`; returns the unmount function. */
export type Mount = (root: HTMLElement, queue: FetchQueue, api: string) => () => void

async function until(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export async function runScenario(framework: string, mount: Mount): Promise<void> {
  // The chat server: stores each message once per idempotency key, and answers 503 while down.
  let down = false
  const stored = new Map<string, string>()
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    if (down) {
      res.statusCode = 503
      return res.end('down for maintenance')
    }
    const key = req.headers['idempotency-key']
    if (typeof key !== 'string') {
      res.statusCode = 400
      return res.end('Idempotency-Key required')
    }
    if (!stored.has(key)) stored.set(key, JSON.parse(body).text)
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const queue = createChatQueue()
  const root = document.createElement('div')
  document.body.append(root)
  const unmount = mount(root, queue, api)

  const lines = () => [...root.querySelectorAll('li')].map((li) => li.textContent?.trim())
  const expectLines = async (step: string, expected: string[]) => {
    try {
      await until(step, () => JSON.stringify(lines()) === JSON.stringify(expected))
    } catch {
      throw new Error(
        `${framework}: ${step}: expected\n  ${expected.join('\n  ')}\ngot\n  ${lines().join('\n  ')}`,
      )
    }
    shown.push(`-- ${step}`, ...expected)
  }
  const shown: string[] = []
  const send = (text: string) => {
    const input = root.querySelector('input')!
    input.value = text
    // As typing does; the DOM's own Event class, not Node's.
    input.dispatchEvent(new input.ownerDocument.defaultView!.Event('input', { bubbles: true }))
    root.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
  }
  const click = (label: string) =>
    [...root.querySelectorAll('button')].find((b) => b.textContent === label)!.click()

  send('Hi')
  await expectLines('sent', ['Hi — sent'])

  down = true
  send('Are you there?')
  await until('the refused message to park the queue', () =>
    queue.getSnapshot().items.some((i) => i.state === 'failed'),
  )
  send('Hello?')
  await expectLines('the server is down', [
    'Hi — sent',
    'Are you there? — not sent — Retry · Give up',
    'Hello? — sending',
  ])

  down = false
  click('Retry')
  await expectLines('Retry', ['Hi — sent', 'Are you there? — sent', 'Hello? — sent'])

  down = true
  send('Bye')
  await expectLines('down again', [
    'Hi — sent',
    'Are you there? — sent',
    'Hello? — sent',
    'Bye — not sent — Retry · Give up',
  ])
  click('Give up')
  await expectLines('Give up', ['Hi — sent', 'Are you there? — sent', 'Hello? — sent'])

  await queue.whenIdle()
  const received = [...stored.values()]
  if (JSON.stringify(received) !== JSON.stringify(['Hi', 'Are you there?', 'Hello?']))
    throw new Error(`${framework}: the server stored ${JSON.stringify(received)}`)
  console.log(
    `${framework} chat status:\n${shown.join('\n')}\nserver stored: ${received.join(' | ')}`,
  )

  unmount()
  queue.dispose()
  server.close()
}
