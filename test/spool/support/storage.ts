import { type MemoryStorage, memoryStorage } from '../../../src/testing/storage.ts'

export type { MemoryStorageOptions as FakeStorageOptions } from '../../../src/testing/storage.ts'
export { throwingStorage } from '../../../src/testing/storage.ts'

/** The testing kit's `MemoryStorage`, with `failSet` as the project's tests call `setItemError`. */
export interface FakeStorage extends MemoryStorage {
  failSet: unknown
}

export function fakeStorage(options: Parameters<typeof memoryStorage>[0] = {}): FakeStorage {
  const storage = memoryStorage(options) as FakeStorage
  Object.defineProperty(storage, 'failSet', {
    get: () => storage.setItemError,
    set: (value: unknown) => {
      storage.setItemError = value
    },
  })
  return storage
}
