import type { ChatMessage } from '../../server/chat.ts'
import type { ItemInfo } from './fetch-queue.ts'

/** What a message's POST carries in its `meta`, so the outbox can be shown again after a reload. */
export interface Outgoing {
  id: string
  author: string
  text: string
}

export type RowState = 'sending' | 'sent' | 'not-sent'

export interface Row extends Outgoing {
  state: RowState
  mine: boolean
  /** The queue item of a message still in the outbox: what Retry and Give up act on. */
  item?: string
  /** Why a message was not sent. */
  error?: string
}

/** The outgoing message an item of the queue carries, if it is one. */
export const outgoing = (item: ItemInfo): Outgoing | undefined =>
  (item.meta as { chat?: Outgoing } | undefined)?.chat

/**
 * The conversation as the user sees it: the server's messages in the server's order, then those
 * the server took but whose echo has not arrived yet, then the outbox in the order it was
 * written. A message is in exactly one of the three, so none shows twice.
 */
export function conversation(
  server: readonly ChatMessage[],
  delivered: readonly Outgoing[],
  outbox: readonly ItemInfo[],
  me: string,
): Row[] {
  const seen = new Set(server.map((m) => m.id))
  const rows: Row[] = server.map((m) => ({ ...pick(m), state: 'sent', mine: m.author === me }))
  for (const m of delivered) {
    if (!seen.has(m.id)) rows.push({ ...m, state: 'sent', mine: true })
    seen.add(m.id)
  }
  for (const item of outbox) {
    const m = outgoing(item)
    if (!m || seen.has(m.id)) continue
    const failed = item.state === 'failed'
    rows.push({
      ...m,
      state: failed ? 'not-sent' : 'sending',
      mine: true,
      item: item.id,
      error: failed ? item.error?.message : undefined,
    })
  }
  return rows
}

const pick = ({ id, author, text }: Outgoing): Outgoing => ({ id, author, text })
