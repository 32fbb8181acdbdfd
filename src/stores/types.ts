/**
 * The contract every cache store implements. Stores are thin: the service owns key
 * prefixes, serialization, the entry envelope, single-flight, timeouts and fail-open.
 * A store only moves opaque string payloads by key, in milliseconds.
 *
 * Required: `name`, `get`, `set`, `del`. Optional capabilities: `has`, `getHead`,
 * `setIfHead`, `delByPattern`, `setIfAbsent`, `delIfEquals`, `getMany`, `setMany`,
 * `delMany`, `close`. Throw on failure; the service decides what the caller sees.
 *
 * Check a store with the conformance suite: `import { runStoreConformance } from 'glasswork/testing'`.
 *
 * @example
 * class MapStore implements CacheStore {
 *   readonly name = 'map';
 *   #entries = new Map<string, { payload: string; expiresAtMs: number }>();
 *   async get(key: string) {
 *     const entry = this.#entries.get(key);
 *     return entry && entry.expiresAtMs > Date.now() ? entry.payload : undefined;
 *   }
 *   async set(key: string, payload: string, ttlMs: number) {
 *     this.#entries.set(key, { payload, expiresAtMs: Date.now() + ttlMs });
 *   }
 *   async del(key: string) {
 *     return this.#entries.delete(key);
 *   }
 * }
 */
export interface CacheStore {
  /** A short name for logs, errors and events, e.g. `'redis'`. */
  readonly name: string;

  /**
   * The longest any single-key call (`get`, `set`, `del`, `has`, `setIfAbsent`,
   * `delIfEquals`) can take,
   * in milliseconds, when the store enforces that limit itself (`0`: calls never wait on
   * I/O). The service then skips its own timer when this is within its `storeTimeoutMs`,
   * which saves a timer per call. Leave it unset when calls are not bounded.
   */
  readonly callTimeoutMs?: number;

  /** Returns the payload stored under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;

  /**
   * Stores `payload` under `key` for `ttlMs` milliseconds (a positive integer), replacing
   * any entry. Throws a `CacheLimitError` when the store cannot hold the key or payload.
   */
  set(key: string, payload: string, ttlMs: number): Promise<void>;

  /** Removes `key`. Resolves `true` when an entry was removed. */
  del(key: string): Promise<boolean>;

  /** Whether an unexpired entry exists, without transferring its payload. */
  has?(key: string): Promise<boolean>;

  /**
   * The first `length` characters of the payload under `key` (all of it when shorter), or
   * `undefined` when absent or expired, without transferring the rest where the store can.
   * The service's `has` reads the entry's own expiry this way (entries kept for
   * stale-if-error outlive it in the store); without it, `has` reads the whole payload.
   */
  getHead?(key: string, length: number): Promise<string | undefined>;

  /**
   * Removes every key matching `pattern` and resolves the number of keys removed.
   * The pattern language is described in `glob.ts`: `*`, `?`, and `\` escapes; use
   * `compileGlob` to match keys exactly as the other stores do.
   */
  delByPattern?(pattern: string): Promise<number>;

  /**
   * Stores `payload` only when no unexpired entry exists under `key`; resolves whether
   * it did. Must be atomic across processes sharing the store (leases and locks rely on it).
   */
  setIfAbsent?(key: string, payload: string, ttlMs: number): Promise<boolean>;

  /**
   * Stores `payload` only while the live payload under `key` starts with `head` (at most 32
   * characters); resolves whether it did. Must be atomic across processes: a refresh or a
   * lock holder writes this way, so a write that was overtaken (another writer stored a newer
   * entry, or the entry was deleted) never replaces what came after it. Without it, those
   * writes are plain `set`s.
   */
  setIfHead?(key: string, head: string, payload: string, ttlMs: number): Promise<boolean>;

  /**
   * Deletes `key` only while it holds exactly `payload` (unexpired); resolves whether it did.
   * Must be atomic across processes: leases use it so a holder whose lease ran out never
   * removes the lease another instance took since. Without it, leases are released with `del`.
   */
  delIfEquals?(key: string, payload: string): Promise<boolean>;

  /**
   * The payloads under `keys`, aligned with them (`undefined` for an absent, expired or
   * unreadable key, e.g. one over the store's size limit), in as few round trips as the
   * store allows. The service passes distinct keys, at most 1,000 per call. A rejection
   * fails the whole call (the service reads every key as a miss); without it, the service
   * calls `get` per key, 16 at a time.
   */
  getMany?(keys: readonly string[]): Promise<(string | undefined)[]>;

  /**
   * Stores every entry (each like `set`: `ttlMs` a positive integer, replacing any entry),
   * in as few round trips as the store allows. The service passes distinct keys, at most
   * 1,000 per call. Throws a `CacheLimitError` before writing anything when an entry does
   * not fit. Not atomic: after a rejection, some entries may have been written. Without it,
   * the service calls `set` per entry, 16 at a time.
   */
  setMany?(entries: readonly StoreEntry[]): Promise<void>;

  /**
   * Removes `keys` and resolves how many unexpired entries were removed. The service passes
   * distinct keys, at most 1,000 per call. Without it, the service calls `del` per key,
   * 16 at a time.
   */
  delMany?(keys: readonly string[]): Promise<number>;

  /** Releases connections the store opened. Clients passed in by the user stay open. */
  close?(): Promise<void>;
}

/** One entry of {@link CacheStore.setMany}: a payload and its lifetime in milliseconds. */
export interface StoreEntry {
  key: string;
  payload: string;
  /** A positive integer number of milliseconds. */
  ttlMs: number;
}
