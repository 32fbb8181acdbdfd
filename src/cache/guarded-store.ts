import { CacheStoreError, isCacheError, isInputError, quoteKey } from '../errors.js';
import { type CacheLogger, errorClass } from '../shared/logger.js';
import { Throttle } from '../shared/throttle.js';
import { withTimeout } from '../shared/timers.js';
import { mapBounded } from './batch-fallback.js';

/** The shortest time between two logged failures of one operation, in milliseconds. */
const FAILURE_LOG_INTERVAL_MS = 5000;

import type { CacheStore, StoreEntry } from '../stores/types.js';

/**
 * What a fenced write expects to find: the head of the entry it read (`{ head }`), or no
 * entry at all (`{ absentAtMs }`: when the read that found nothing started, epoch ms).
 */
export type Fence = { head: string } | { absentAtMs: number };

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
  /** The limit on a whole batch call (the store's own limit covers single-key calls only). */
  readonly #batchTimeoutMs: number;
  readonly #logger: CacheLogger;
  readonly #onFailure: StoreFailureListener | undefined;
  /** Outage warnings: one line per operation per interval. */
  readonly #logThrottle = new Throttle(FAILURE_LOG_INTERVAL_MS);
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
    this.#batchTimeoutMs = options.timeoutMs;
    this.#logger = options.logger;
    this.#onFailure = options.onFailure;
  }

  get name(): string {
    return this.store.name;
  }

  /** Where the last read of `key` was answered: always the store here (see `TieredStore`). */
  servedFrom(_key: string): 'l1' | 'store' {
    return 'store';
  }

  get(key: string): Promise<string | undefined> {
    return this.#guard('get', key, undefined, () => this.store.get(key));
  }

  /**
   * Reads `key` and hands the payload (`undefined` on a miss or an absorbed failure) to
   * `then`, in a single step: the hit path of `CacheService.get`.
   */
  read<T>(key: string, then: (payload: string | undefined) => T | PromiseLike<T>): Promise<T> {
    return this.#call('get', key, () => this.store.get(key), this.#callTimeoutMs).then(
      then,
      (error: unknown) => then(this.#absorb('get', key, undefined, error)),
    );
  }

  /**
   * `get` straight from the store (never from an `l1` tier), resolving `failed` instead of a
   * miss when the store failed (logged): for reads that must tell the two apart.
   */
  getOr<F>(key: string, failed: F): Promise<string | undefined | F> {
    return this.#guard<string | undefined | F>('get', key, failed, () => this.store.get(key));
  }

  /** Resolves `true` when the store accepted the entry. */
  set(key: string, payload: string, ttlMs: number): Promise<boolean> {
    return this.#guard('set', key, false, () =>
      this.store.set(key, payload, ttlMs).then(() => true),
    );
  }

  /**
   * Stores the entry unless the write was overtaken: with `fence.head`, only while the live
   * entry still starts with that head (`setIfHead`); with `absentAtMs`, only while there is none
   * (`setIfAbsent`). A store without the method gets a plain `set`. Resolves whether it wrote.
   */
  setFenced(key: string, payload: string, ttlMs: number, fence: Fence): Promise<boolean> {
    const store = this.store;
    if ('absentAtMs' in fence && store.setIfAbsent) {
      return this.#guard('set', key, false, () => store.setIfAbsent!(key, payload, ttlMs));
    }
    if ('head' in fence && store.setIfHead) {
      return this.#guard('set', key, false, () =>
        store.setIfHead!(key, fence.head, payload, ttlMs),
      );
    }
    return this.set(key, payload, ttlMs);
  }

  del(key: string): Promise<boolean> {
    return this.#guard('del', key, false, () => this.store.del(key));
  }

  /**
   * The first `length` characters of the payload under `key`: the store's `getHead` when it
   * has one, else cut from the whole payload. `undefined` on a miss or an absorbed failure.
   */
  getHead(key: string, length: number): Promise<string | undefined> {
    const store = this.store;
    return this.#guard('has', key, undefined, () =>
      store.getHead
        ? store.getHead(key, length)
        : store.get(key).then((payload) => payload?.slice(0, length)),
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

  /**
   * The payloads under distinct `keys`, aligned with them: one `getMany` call bounded by
   * `timeoutMs` (a failure reads every key as a miss), or per-key guarded `get`s, 16 at a time.
   */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    const store = this.store;
    if (!store.getMany) return mapBounded(keys, (key) => this.get(key));
    return this.#guard(
      'getMany',
      keys[0] ?? '',
      keys.map(() => undefined),
      () => store.getMany!(keys),
      this.#batchTimeoutMs,
    );
  }

  /**
   * Stores entries with distinct keys and resolves, per entry, whether the store accepted
   * it: one `setMany` call bounded by `timeoutMs`, or per-key guarded `set`s, 16 at a time.
   * Input errors (`E_VALUE_TOO_LARGE`…) are rethrown.
   */
  setMany(entries: readonly StoreEntry[]): Promise<boolean[]> {
    const store = this.store;
    if (!store.setMany) {
      return mapBounded(entries, (entry) => this.set(entry.key, entry.payload, entry.ttlMs));
    }
    return this.#guard(
      'setMany',
      entries[0]?.key ?? '',
      false,
      () => store.setMany!(entries).then(() => true),
      this.#batchTimeoutMs,
    ).then((accepted) => entries.map(() => accepted));
  }

  /** Removes distinct `keys`; resolves how many were removed (`0` for a failed `delMany`). */
  delMany(keys: readonly string[]): Promise<number> {
    const store = this.store;
    if (!store.delMany) {
      return mapBounded(keys, (key) => this.del(key)).then((removed) =>
        removed.reduce((count, one) => count + (one ? 1 : 0), 0),
      );
    }
    return this.#guard(
      'delMany',
      keys[0] ?? '',
      0,
      () => store.delMany!(keys),
      this.#batchTimeoutMs,
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
   * Logs a store failure and returns `fallback`; every failure is still reported to
   * `onFailure`. Rethrows input errors. During an outage, one line per operation per 5 s,
   * with the number held back. A missing or unloadable client (`E_MISSING_DEPENDENCY`)
   * is logged once, at `error` level, and then only counted: it is a deployment mistake,
   * not an outage.
   */
  #absorb<T>(operation: string, key: string, fallback: T, error: unknown): T {
    if (isInputError(error)) throw error;
    const store = this.store.name;
    if (isCacheError(error) && error.code === 'E_MISSING_DEPENDENCY') {
      if (!this.#dependencyReported) {
        this.#dependencyReported = true;
        this.#logger.error(
          `store "${store}" cannot load its client, so every cache call runs without the cache (logged once; each call still emits an "error" event): ${error.message}. Call await store.connect() in the init phase to fail there instead`,
          { store, code: error.code },
        );
      }
    } else {
      const held = this.#logThrottle.pass(operation);
      if (held !== undefined) {
        this.#logger.warn(
          `store "${store}" failed to ${operation} ${quoteKey(key)}, continuing without the cache: ${errorClass(error)}${held > 0 ? ` (${held} more ${operation} failures since the last report)` : ''}`,
          { store, key, operation },
        );
      }
    }
    this.#onFailure?.(operation, key, error);
    return fallback;
  }

  /** Settles like `promise`, or rejects with `E_STORE_TIMEOUT` after `timeoutMs`. */
  #limit<T>(promise: Promise<T>, operation: string, key: string, timeoutMs: number): Promise<T> {
    return withTimeout(
      promise,
      timeoutMs,
      () =>
        new CacheStoreError(
          'E_STORE_TIMEOUT',
          `store "${this.store.name}" did not answer ${operation} ${quoteKey(key)} within ${timeoutMs} ms`,
          { key, store: this.store.name },
        ),
    );
  }
}
