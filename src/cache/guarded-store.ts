import { CacheStoreError, isInputError, quoteKey } from '../errors.js';
import type { CacheStore } from '../stores/types.js';
import { type CacheLogger, errorMessage } from './logger.js';

/** Called with every store failure the guard absorbed. */
export type StoreFailureListener = (operation: string, key: string, error: unknown) => void;

/**
 * Wraps a store so that no call outlives its time limit (`patternTimeoutMs` for
 * `delByPattern`, `timeoutMs` for the rest) and no failure reaches the caller:
 * each operation resolves a fallback (a miss, `false`, `0`) and logs the failure with
 * the key and the store's name. Input errors (`E_VALUE_TOO_LARGE`, `E_KEY_TOO_LONG`…)
 * are the caller's to fix and are rethrown.
 */
export class GuardedStore {
  readonly store: CacheStore;
  readonly #timeoutMs: number;
  readonly #patternTimeoutMs: number;
  readonly #logger: CacheLogger;
  readonly #onFailure: StoreFailureListener | undefined;

  constructor(
    store: CacheStore,
    options: {
      timeoutMs: number;
      patternTimeoutMs: number;
      logger: CacheLogger;
      onFailure?: StoreFailureListener;
    },
  ) {
    this.store = store;
    this.#timeoutMs = options.timeoutMs;
    this.#patternTimeoutMs = options.patternTimeoutMs;
    this.#logger = options.logger;
    this.#onFailure = options.onFailure;
  }

  get name(): string {
    return this.store.name;
  }

  get(key: string): Promise<string | undefined> {
    return this.#guard('get', key, undefined, () => this.store.get(key));
  }

  /** Resolves `true` when the store accepted the entry. */
  set(key: string, payload: string, ttlMs: number): Promise<boolean> {
    return this.#guard('set', key, false, () =>
      this.store.set(key, payload, ttlMs).then(() => true),
    );
  }

  del(key: string): Promise<boolean> {
    return this.#guard('del', key, false, () => this.store.del(key));
  }

  /** Uses the store's `has` when it has one and `native` allows, else reads the payload. */
  has(key: string, native = true): Promise<boolean> {
    const store = this.store;
    return this.#guard('has', key, false, () =>
      native && store.has
        ? store.has(key)
        : store.get(key).then((payload) => payload !== undefined),
    );
  }

  /** Resolves `undefined` when the store cannot delete by pattern. */
  delByPattern(pattern: string): Promise<number | undefined> {
    const store = this.store;
    if (!store.delByPattern) return Promise.resolve(undefined);
    return this.#guard(
      'delByPattern',
      pattern,
      0,
      () => store.delByPattern!(pattern),
      this.#patternTimeoutMs,
    );
  }

  /** Resolves `undefined` when the store has no `setIfAbsent`, or failed. */
  setIfAbsent(key: string, payload: string, ttlMs: number): Promise<boolean | undefined> {
    const store = this.store;
    if (!store.setIfAbsent) return Promise.resolve(undefined);
    return this.#guard('setIfAbsent', key, undefined, () =>
      store.setIfAbsent!(key, payload, ttlMs),
    );
  }

  #guard<T>(
    operation: string,
    key: string,
    fallback: T,
    call: () => Promise<T>,
    timeoutMs = this.#timeoutMs,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return; // a late failure after a timeout was already reported
        settled = true;
        if (isInputError(error)) return reject(error);
        this.#logger.warn(
          `store "${this.store.name}" failed to ${operation} ${quoteKey(key)}, continuing without the cache: ${errorMessage(error)}`,
          { store: this.store.name, key, operation },
        );
        this.#onFailure?.(operation, key, error);
        resolve(fallback);
      };
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              fail(
                new CacheStoreError(
                  'E_STORE_TIMEOUT',
                  `store "${this.store.name}" did not answer ${operation} ${quoteKey(key)} within ${timeoutMs} ms`,
                  { key, store: this.store.name },
                ),
              );
            }, timeoutMs)
          : undefined;
      let promise: Promise<T>;
      try {
        promise = call();
      } catch (error) {
        promise = Promise.reject(error);
      }
      promise.then(
        (value) => {
          clearTimeout(timer);
          settled = true;
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          fail(error);
        },
      );
    });
  }
}
