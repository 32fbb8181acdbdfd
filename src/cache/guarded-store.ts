import { CacheStoreError, isCacheError, isInputError, quoteKey } from '../errors.js';
import { type CacheLogger, errorMessage } from '../shared/logger.js';
import type { CacheStore } from '../stores/types.js';

/** Called with every store failure the guard absorbed. */
export type StoreFailureListener = (operation: string, key: string, error: unknown) => void;

/**
 * Wraps a store so that no call outlives its time limit (`patternTimeoutMs` for
 * `delByPattern`, `timeoutMs` for the rest, unless the store enforces a tighter
 * `callTimeoutMs` itself) and no failure reaches the caller:
 * each operation resolves a fallback (a miss, `false`, `0`) and logs the failure with
 * the key and the store's name. Input errors (`E_VALUE_TOO_LARGE`, `E_KEY_TOO_LONG`…)
 * are the caller's to fix and are rethrown.
 */
export class GuardedStore {
  readonly store: CacheStore;
  /** The limit the guard applies to single-key calls; 0 when the store's own limit is tighter. */
  readonly #callTimeoutMs: number;
  readonly #patternTimeoutMs: number;
  readonly #logger: CacheLogger;
  readonly #onFailure: StoreFailureListener | undefined;
  /** Set once a missing client has been logged. */
  #dependencyReported = false;

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
    const ownLimit = store.callTimeoutMs;
    this.#callTimeoutMs =
      ownLimit !== undefined && ownLimit <= options.timeoutMs ? 0 : options.timeoutMs;
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

  /**
   * Reads `key` and hands the payload (`undefined` on a miss or an absorbed failure) to
   * `then`, in a single step: the hit path of `CacheService.get`.
   */
  read<T>(key: string, then: (payload: string | undefined) => T): Promise<T> {
    return this.#call('get', key, () => this.store.get(key), this.#callTimeoutMs).then(
      then,
      (error: unknown) => then(this.#absorb('get', key, undefined, error)),
    );
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

  /** Uses the store's `has` when it has one, else reads the payload. */
  has(key: string): Promise<boolean> {
    const store = this.store;
    return this.#guard('has', key, false, () =>
      store.has ? store.has(key) : store.get(key).then((payload) => payload !== undefined),
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

  /**
   * Deletes `key` if it still holds `payload`; a store without `delIfEquals` deletes it
   * outright. Resolves `false` when the store failed.
   */
  delIfEquals(key: string, payload: string): Promise<boolean> {
    const store = this.store;
    return this.#guard('delIfEquals', key, false, () =>
      store.delIfEquals ? store.delIfEquals(key, payload) : store.del(key),
    );
  }

  #guard<T>(
    operation: string,
    key: string,
    fallback: T,
    call: () => Promise<T>,
    timeoutMs = this.#callTimeoutMs,
  ): Promise<T> {
    return this.#call(operation, key, call, timeoutMs).then(undefined, (error: unknown) =>
      this.#absorb(operation, key, fallback, error),
    );
  }

  /** Calls the store, limited to `timeoutMs` when that is set. */
  #call<T>(operation: string, key: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
    let promise: Promise<T>;
    try {
      promise = call();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return timeoutMs > 0 ? this.#limit(promise, operation, key, timeoutMs) : promise;
  }

  /**
   * Logs a store failure and returns `fallback`; rethrows input errors. A missing or
   * unloadable client (`E_MISSING_DEPENDENCY`) is logged once, at `error` level, and then
   * only counted: it is a deployment mistake, not an outage.
   */
  #absorb<T>(operation: string, key: string, fallback: T, error: unknown): T {
    if (isInputError(error)) throw error;
    const store = this.store.name;
    if (!(isCacheError(error) && error.code === 'E_MISSING_DEPENDENCY')) {
      this.#logger.warn(
        `store "${store}" failed to ${operation} ${quoteKey(key)}, continuing without the cache: ${errorMessage(error)}`,
        { store, key, operation },
      );
    } else if (!this.#dependencyReported) {
      this.#dependencyReported = true;
      this.#logger.error(
        `store "${store}" cannot load its client, so every cache call runs without the cache (logged once; each call still emits an "error" event): ${error.message}. Call await store.connect() in the init phase to fail there instead`,
        { store, code: error.code },
      );
    }
    this.#onFailure?.(operation, key, error);
    return fallback;
  }

  /** Settles like `promise`, or rejects with `E_STORE_TIMEOUT` after `timeoutMs`. */
  #limit<T>(promise: Promise<T>, operation: string, key: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new CacheStoreError(
            'E_STORE_TIMEOUT',
            `store "${this.store.name}" did not answer ${operation} ${quoteKey(key)} within ${timeoutMs} ms`,
            { key, store: this.store.name },
          ),
        );
      }, timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
