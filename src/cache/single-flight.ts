/**
 * Coalesces concurrent calls by key: while a call for a key is running, later calls
 * for the same key get its promise instead of starting another. One instance per
 * CacheService, keyed by the full (prefixed) key.
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  /** The number of keys with a call in progress. */
  get size(): number {
    return this.#running.size;
  }

  /** The call running for `key`, if any. */
  running(key: string): Promise<unknown> | undefined {
    return this.#running.get(key);
  }

  /** Runs `fn` for `key` unless a call for `key` is already running, and shares its outcome. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running !== undefined) return running as Promise<T>;
    const promise = fn().finally(() => {
      this.#running.delete(key);
    });
    this.#running.set(key, promise);
    return promise;
  }
}
