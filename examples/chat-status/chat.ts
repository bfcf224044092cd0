/**
 * What the three chat-status examples share: how the queue is made, what a message is, and how a
 * message's line is worded from the queue's snapshot. The framework files (react.tsx, vue.ts,
 * svelte.ts) each render it their way.
 */
import { createQueue, type FetchQueue, type ItemInfo, type QueueSnapshot } from 'fetch-queue'

export interface Message {
  id: string
  text: string
  /** The server has it. Until then the queue's snapshot says how it is doing. */
  sent: boolean
}

/**
 * `onFailure: 'pause'`: a message the server refuses stays in the queue as `failed`, and the ones
 * after it wait, so the thread is never delivered out of order. The user decides: Retry or Give up.
 * `retry: 0` hands a 503 to the user at once rather than retrying it behind their back.
 * `idempotency: 'always'`: the chat API is on another origin here (its CORS allows the header), and
 * the key is what lets a retried message be stored once.
 */
export function createChatQueue(): FetchQueue {
  return createQueue({ onFailure: 'pause', retry: 0, idempotency: 'always' })
}

/** Sends a message. Its `meta` ties the queue's item back to the message. */
export function postMessage(queue: FetchQueue, api: string, message: Message): Promise<Response> {
  return queue.fetch(`${api}/rooms/1/messages`, {
    method: 'POST',
    json: { id: message.id, text: message.text },
    meta: { messageId: message.id },
  })
}

/** The queue's item for a message, if it is still in the queue. */
export function itemOf(snapshot: QueueSnapshot, messageId: string): ItemInfo | undefined {
  return snapshot.items.find(
    (item) => (item.meta as { messageId?: string } | undefined)?.messageId === messageId,
  )
}

export type Status = 'sending' | 'sent' | 'not sent'

export function statusOf(message: Message, item: ItemInfo | undefined): Status {
  if (message.sent) return 'sent'
  return item?.state === 'failed' ? 'not sent' : 'sending'
}
