import type { Item, KeyWire } from './item.ts'

function randomUuid(): string {
  const c = globalThis.crypto
  // randomUUID exists only in secure contexts; an app on http://192.168.x.x still needs keys.
  if (c.randomUUID) return c.randomUUID()
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 15) | 64
  b[8] = (b[8]! & 63) | 128
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The header value that carries `key`: bare, or quoted with `"` and `\` escaped (RFC 8941). */
export const wireValue = (w: KeyWire, key: string): string =>
  w.sf ? `"${key.replace(/[\\"]/g, '\\$&')}"` : key

/** Mints idempotency keys for one queue. */
export type Mint = () => string

/**
 * UUID-shaped idempotency keys: 74 random bits drawn once per queue, and a counter in the last
 * 48. Keys stay unique across queues, pages, tabs and reloads (each draws its own random part),
 * and minting one costs a string concatenation instead of a random UUID per write.
 */
export function keyMinter(): Mint {
  let random: string | undefined
  let counter = 0
  return () => {
    random ??= randomUuid().slice(0, 24)
    return random + (++counter).toString(16).padStart(12, '0')
  }
}

/**
 * The key is minted when first needed rather than at enqueue: the same key still goes with every
 * attempt and every stored copy, and a long queue of pending writes holds 60 fewer bytes each.
 */
export const keyOf = (
  it: Partial<Pick<Item, '_hasKey' | 'key'>>,
  mint: Mint,
): string | undefined => (it._hasKey ? (it.key ??= mint()) : undefined)
