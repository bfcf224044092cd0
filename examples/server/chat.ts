/** The chat demo's domain: a room is an ordered list of messages. Pure functions, shared by server and page. */

export interface ChatMessage {
  /** The server's order: 1 for the room's first message. */
  seq: number
  /** Chosen by the client when the message is written, so a resend is recognised. */
  id: string
  author: string
  text: string
}

export const MAX_TEXT = 500

/** Validates an untrusted `{ id, author, text }` body. Returns an error message, or the message. */
export function parseMessageBody(value: unknown): Omit<ChatMessage, 'seq'> | string {
  if (typeof value !== 'object' || value === null) return 'body must be an object'
  const { id, author, text } = value as Partial<ChatMessage>
  if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id)) return '`id` must be a short id'
  if (typeof author !== 'string' || author.length < 1 || author.length > 40)
    return '`author` must be 1 to 40 characters'
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT)
    return `\`text\` must be 1 to ${MAX_TEXT} characters`
  return { id, author, text }
}
