/**
 * "Chat status" with React: each message shows "sending", "sent", or "not sent — Retry · Give up",
 * read from the queue's snapshot. Run it with `npx tsx examples/chat-status/react.tsx` (it renders
 * into happy-dom and plays a short session against a local server that goes down and back up).
 */
import './dom.ts'
import type { FetchQueue } from 'fetch-queue'
import { useQueueItem, useQueueSnapshot } from 'fetch-queue/react'
import { type FormEvent, useState } from 'react'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { itemOf, type Message, postMessage, statusOf } from './chat.ts'
import { runScenario } from './scenario.ts'

function MessageLine({ queue, message }: { queue: FetchQueue; message: Message }) {
  // Re-renders only when this message's item changes, not when any other message does.
  const itemId = useQueueSnapshot(queue, (s) => itemOf(s, message.id)?.id)
  const { item, retry, discard } = useQueueItem(queue, itemId)
  const status = statusOf(message, item)
  return (
    <li>
      {message.text} — {status}
      {status === 'not sent' && (
        <>
          {' — '}
          <button type="button" onClick={retry}>
            Retry
          </button>
          {' · '}
          <button type="button" onClick={discard}>
            Give up
          </button>
        </>
      )}
    </li>
  )
}

export function Chat({ queue, api }: { queue: FetchQueue; api: string }) {
  const [messages, setMessages] = useState<Message[]>([])
  const update = (id: string, change: (m: Message) => Message | undefined) =>
    setMessages((list) => list.flatMap((m) => (m.id === id ? (change(m) ?? []) : [m])))

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const input = event.currentTarget.elements.namedItem('text') as HTMLInputElement
    const message = { id: crypto.randomUUID(), text: input.value, sent: false }
    input.value = ''
    setMessages((list) => [...list, message])
    postMessage(queue, api, message).then(
      () => update(message.id, (m) => ({ ...m, sent: true })),
      // Only "Give up" rejects it (with onFailure: 'pause' a refused message waits for the user).
      () => update(message.id, () => undefined),
    )
  }

  return (
    <form onSubmit={send}>
      <ul>
        {messages.map((m) => (
          <MessageLine key={m.id} queue={queue} message={m} />
        ))}
      </ul>
      <input name="text" />
      <button type="submit">Send</button>
    </form>
  )
}

await runScenario('React', (root, queue, api) => {
  const app = createRoot(root)
  flushSync(() => app.render(<Chat queue={queue} api={api} />))
  return () => app.unmount()
})
