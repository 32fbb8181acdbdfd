import { CacheArgumentError, describeValue, isInputError } from '../errors.js';
import { escapeGlob } from '../stores/glob.js';
import type { CacheStore } from '../stores/types.js';
import { BackgroundTasks } from './background.js';
import { decodeEntry, type Entry, encodeEntry } from './envelope.js';
import { GuardedStore } from './guarded-store.js';
import { type KeyInput, type PlainKey, resolveKey, type TypedKey } from './keys.js';
import { errorMessage } from './logger.js';
import { type CacheServiceOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { RefreshBackoff } from './refresh-backoff.js';
import { serializeValue } from './serializer.js';
import { SingleFlight } from './single-flight.js';
import { assertNonEmptyString, ttlToMs } from './validate.js';

/** A function that computes a value on a miss. */
export type Loader<T> = () => T | PromiseLike<T>;

/** An entry read back from the store, its value deserialized. */
interface StoredValue extends Entry {
  value: unknown;
}

/**
 * The cache: typed get/set over any {@link CacheStore}, with cache-aside (`wrap`),
 * stale-while-revalidate (`wrapSWR`) and pattern invalidation. TTLs are in seconds.
 *
 * Store failures never reach the caller: reads miss, writes are skipped, loaders still
 * run, and each failure is logged. Bad input (TTL, key, `undefined`, unserializable
 * values) rejects with a coded `CacheError`.
 *
 * @example
 * const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 300, keyPrefix: 'myapp' });
 * const user = await cache.wrap(userKey('123'), 600, () => fetchUser('123'));
 */
export class CacheService {
  readonly #options: ResolvedOptions;
  readonly #store: GuardedStore;
  readonly #flights = new SingleFlight();
  readonly #background = new BackgroundTasks();
  readonly #refreshes = new RefreshBackoff();

  constructor(store: CacheStore, options: CacheServiceOptions) {
    if (
      typeof store !== 'object' ||
      store === null ||
      typeof store.get !== 'function' ||
      typeof store.set !== 'function' ||
      typeof store.del !== 'function'
    ) {
      throw new CacheArgumentError(
        'E_INVALID_ARGUMENT',
        `store must implement get, set and del (see CacheStore), got ${describeValue(store)}`,
      );
    }
    this.#options = resolveOptions(options);
    this.#store = new GuardedStore(store, {
      timeoutMs: this.#options.storeTimeoutMs,
      logger: this.#options.logger,
    });
  }

  /** The store this service reads and writes. */
  get store(): CacheStore {
    return this.#store.store;
  }

  /** Returns the cached value, or `undefined` on a miss, an expired entry or a store failure. */
  async get<T>(key: KeyInput<T>): Promise<T | undefined> {
    const stored = await this.#read(this.#fullKey(key), Date.now());
    return stored?.value as T | undefined;
  }

  /**
   * Stores `value` for `ttl` seconds (default `defaultTTL`). `null` is a value; `undefined`
   * is refused. A store failure is logged and the call resolves.
   * @throws CacheArgumentError `E_INVALID_TTL`, `E_INVALID_KEY`, `E_UNDEFINED_VALUE`
   * @throws CacheSerializationError `E_SERIALIZE` when the value cannot be serialized faithfully
   * @throws CacheLimitError when the store cannot hold the entry (`E_VALUE_TOO_LARGE`, `E_KEY_TOO_LONG`)
   */
  async set<T>(key: KeyInput<T>, value: NoInfer<T>, ttl?: number): Promise<void> {
    const fullKey = this.#fullKey(key);
    const ttlMs = ttl === undefined ? this.#options.defaultTtlMs : ttlToMs(ttl, 'ttl');
    if (value === undefined) {
      throw new CacheArgumentError(
        'E_UNDEFINED_VALUE',
        `value for key "${fullKey}" is undefined, which cannot be cached; use null or del()`,
        { key: fullKey },
      );
    }
    await this.#write(fullKey, value, ttlMs);
  }

  /** Removes an entry; resolves `true` when one was removed (`false` on a store failure). */
  async del<T>(key: KeyInput<T>): Promise<boolean> {
    return this.#store.del(this.#fullKey(key));
  }

  /** Whether an unexpired entry exists, without loading its value where the store can. */
  async has<T>(key: KeyInput<T>): Promise<boolean> {
    return this.#store.has(this.#fullKey(key));
  }

  /**
   * Cache-aside: returns the cached value, or runs `fn`, caches its result for `ttl` seconds
   * (default `defaultTTL`) and returns it. Concurrent calls for one key share a single run
   * of `fn` and its outcome; rejections are not cached. A result of `undefined` is returned
   * without caching. A failure to cache the result is logged, never thrown.
   */
  wrap<T>(key: TypedKey<T>, fn: Loader<NoInfer<T>>): Promise<T>;
  wrap<T>(key: TypedKey<T>, ttl: number | undefined, fn: Loader<NoInfer<T>>): Promise<T>;
  wrap<T>(key: PlainKey, fn: Loader<T>): Promise<T>;
  wrap<T>(key: PlainKey, ttl: number | undefined, fn: Loader<T>): Promise<T>;
  async wrap(key: KeyInput<unknown>, ttlOrFn: unknown, maybeFn?: unknown): Promise<unknown> {
    const [ttl, fn] = typeof ttlOrFn === 'function' ? [undefined, ttlOrFn] : [ttlOrFn, maybeFn];
    const fullKey = this.#fullKey(key);
    const ttlMs = ttl === undefined ? this.#options.defaultTtlMs : ttlToMs(ttl, 'ttl');
    const loader = assertLoader(fn);
    return this.#flights.run(fullKey, async () => {
      const stored = await this.#read(fullKey, Date.now());
      if (stored !== undefined) return stored.value;
      return this.#load(fullKey, loader, ttlMs);
    });
  }

  /**
   * Stale-while-revalidate. An entry younger than `staleTTL` seconds is returned as is; one
   * between `staleTTL` and `maxTTL` is returned at once and refreshed in the background
   * (one refresh per key at a time; after a failure, retries back off); a missing or
   * older entry is computed in the foreground. Background failures are logged, never thrown.
   * Await `drain()` before a Lambda handler returns so refreshes finish.
   */
  wrapSWR<T>(
    key: TypedKey<T>,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<NoInfer<T>>,
  ): Promise<T>;
  wrapSWR<T>(key: PlainKey, staleTTL: number, maxTTL: number, fn: Loader<T>): Promise<T>;
  async wrapSWR(
    key: KeyInput<unknown>,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<unknown>,
  ): Promise<unknown> {
    const fullKey = this.#fullKey(key);
    const staleMs = ttlToMs(staleTTL, 'staleTTL');
    const maxMs = ttlToMs(maxTTL, 'maxTTL');
    if (staleMs > maxMs) {
      throw new CacheArgumentError(
        'E_INVALID_TTL',
        `staleTTL must not exceed maxTTL, got staleTTL ${staleTTL} and maxTTL ${maxTTL}`,
        { key: fullKey },
      );
    }
    const loader = assertLoader(fn);
    return this.#flights.run(fullKey, async () => {
      const now = Date.now();
      const stored = await this.#read(fullKey, now);
      if (stored === undefined) return this.#load(fullKey, loader, maxMs);
      if (now - stored.createdAtMs >= staleMs) this.#refreshInBackground(fullKey, loader, maxMs);
      return stored.value;
    });
  }

  /**
   * Removes every entry whose key (without the prefix) matches `pattern`: `*` matches any
   * run of characters, `?` one character, everything else is literal. Never leaves
   * `keyPrefix`. Resolves the number removed, `0` on a store failure, or `undefined` when
   * the store cannot delete by pattern.
   * @throws CacheArgumentError `E_INVALID_PATTERN` for an empty pattern
   */
  async delByPattern(pattern: string): Promise<number | undefined> {
    assertNonEmptyString(pattern, 'pattern', 'E_INVALID_PATTERN');
    const prefix = this.#options.keyPrefix;
    const literalBackslashes = pattern.replace(/\\/g, '\\\\');
    return this.#store.delByPattern(
      prefix === undefined
        ? literalBackslashes
        : `${escapeGlob(`${prefix}:`)}${literalBackslashes}`,
    );
  }

  /**
   * Resolves once every background refresh started so far has settled. Lambda handlers
   * await it before returning, so no work is frozen with the environment.
   */
  drain(): Promise<void> {
    return this.#background.drain();
  }

  #fullKey(key: unknown): string {
    const resolved = resolveKey(key);
    const prefix = this.#options.keyPrefix;
    return prefix === undefined ? resolved : `${prefix}:${resolved}`;
  }

  /** Reads and deserializes an unexpired entry; a miss on failure or a malformed payload. */
  async #read(fullKey: string, nowMs: number): Promise<StoredValue | undefined> {
    const raw = await this.#store.get(fullKey);
    if (raw === undefined) return undefined;
    const entry = decodeEntry(raw);
    if (entry === undefined) {
      this.#options.logger.warn(`entry "${fullKey}" is not a glasswork entry; treated as a miss`, {
        key: fullKey,
        store: this.#store.name,
      });
      return undefined;
    }
    if (entry.expiresAtMs <= nowMs) return undefined;
    try {
      return { ...entry, value: this.#options.serializer.deserialize(entry.payload) };
    } catch (error) {
      this.#options.logger.warn(
        `entry "${fullKey}" cannot be deserialized; treated as a miss: ${errorMessage(error)}`,
        { key: fullKey, store: this.#store.name },
      );
      return undefined;
    }
  }

  /** Serializes and stores a value. Throws input errors; store failures are absorbed. */
  async #write(fullKey: string, value: unknown, ttlMs: number): Promise<void> {
    const payload = serializeValue(this.#options.serializer, value, fullKey);
    const createdAtMs = Date.now();
    const raw = encodeEntry({ payload, createdAtMs, expiresAtMs: createdAtMs + ttlMs });
    await this.#store.set(fullKey, raw, ttlMs);
  }

  /** Runs the loader and caches its result; caching problems are logged, not thrown. */
  async #load(fullKey: string, loader: Loader<unknown>, ttlMs: number): Promise<unknown> {
    const value = await loader();
    if (value === undefined) return undefined;
    try {
      await this.#write(fullKey, value, ttlMs);
    } catch (error) {
      if (!isInputError(error)) throw error;
      this.#options.logger.error(
        `value for "${fullKey}" was computed but not cached: ${errorMessage(error)}`,
        { key: fullKey, store: this.#store.name },
      );
    }
    return value;
  }

  #refreshInBackground(fullKey: string, loader: Loader<unknown>, ttlMs: number): void {
    if (!this.#refreshes.tryBegin(fullKey, Date.now())) return;
    const refresh = async () => {
      let succeeded = false;
      try {
        await this.#load(fullKey, loader, ttlMs);
        succeeded = true;
      } catch (error) {
        this.#options.logger.error(
          `background refresh of "${fullKey}" failed; serving the stale value: ${errorMessage(error)}`,
          { key: fullKey, store: this.#store.name },
        );
      } finally {
        this.#refreshes.end(fullKey, succeeded, Date.now());
      }
    };
    this.#background.track(refresh());
  }
}

function assertLoader(fn: unknown): Loader<unknown> {
  if (typeof fn !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `fn must be a function that computes the value, got ${describeValue(fn)}`,
    );
  }
  return fn as Loader<unknown>;
}
