/** A `Storage` that counts what is written to it: key plus value, in UTF-16 code units (as quotas do). */
export class CountingStorage implements Storage {
  #map = new Map<string, string>()
  written = 0
  writes = 0

  get length(): number {
    return this.#map.size
  }

  key(index: number): string | null {
    return [...this.#map.keys()][index] ?? null
  }

  getItem(key: string): string | null {
    return this.#map.get(String(key)) ?? null
  }

  setItem(key: string, value: string): void {
    const k = String(key)
    const v = String(value)
    this.written += k.length + v.length
    this.writes++
    this.#map.set(k, v)
  }

  removeItem(key: string): void {
    this.#map.delete(String(key))
  }

  clear(): void {
    this.#map.clear()
  }

  reset(): void {
    this.written = 0
    this.writes = 0
  }

  [name: string]: unknown
}
