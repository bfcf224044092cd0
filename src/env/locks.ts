/** The part of the Web Locks API (`navigator.locks`) the spool uses. Inject a fake in tests. */
export interface LockManagerLike {
  /**
   * Runs `callback` while holding the lock `name`; the lock is released when the promise the
   * callback returns settles, or when the page goes away. With `ifAvailable: true` the callback
   * gets `null` at once if someone else holds the lock. Aborting `signal` withdraws a request
   * still waiting for its lock (the promise rejects with the signal's reason).
   */
  request(
    name: string,
    options: { mode?: 'exclusive' | 'shared'; ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>
}

/** `navigator.locks`, read at call time; undefined where Web Locks are missing (old Safari, Node). */
export const browserLocks = (): LockManagerLike | undefined =>
  (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
