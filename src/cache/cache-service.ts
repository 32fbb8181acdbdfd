import { CacheArgumentError, describeValue, quoteKey } from '../errors.js';
import { escapeGlob } from '../stores/glob.js';
import type { CacheStore } from '../stores/types.js';
import { BackgroundTasks } from './background.js';
import type { Loader } from './compute.js';
import { type CacheCore, emit, startTimer } from './core.js';
import { Entries, NO_VALUE } from './entries.js';
import {
  type CacheEventListener,
  CacheEvents,
  type CacheEventType,
  type CacheStats,
} from './events.js';
import { GuardedStore } from './guarded-store.js';
import { type KeyInput, type PlainKey, resolveKey, type TypedKey } from './keys.js';
import { Leases } from './leases.js';
import {
  type CacheServiceOptions,
  type ResolvedWrapOptions,
  resolveOptions,
  resolveWrapOptions,
  type WrapOptions,
} from './options.js';
import { readThrough, staleWhileRevalidate } from './read-through.js';
import { Refresher } from './refresher.js';
import { SingleFlight } from './single-flight.js';
import { assertDurationMs, assertNonEmptyString, ttlToMs } from './validate.js';

/** How long `onModuleDestroy` waits for background work, in milliseconds. */
const SHUTDOWN_DRAIN_MS = 10_000;

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
  readonly #core: CacheCore;
  readonly #flights = new SingleFlight();
  readonly #refresher: Refresher;
  /** Whether entries may outlive their logical expiry (stale-if-error), so `has` must read them. */
  #graceUsed: boolean;

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
    const resolved = resolveOptions(options);
    const events = new CacheEvents();
    if (options.onEvent) events.on('*', options.onEvent);
    const guarded = new GuardedStore(store, {
      timeoutMs: resolved.storeTimeoutMs,
      patternTimeoutMs: resolved.delByPatternTimeoutMs,
      logger: resolved.logger,
      onFailure: (_, key, error) => events.emit({ type: 'error', key, store: store.name, error }),
    });
    this.#core = {
      options: resolved,
      store: guarded,
      events,
      entries: new Entries(guarded, resolved.serializer, resolved.logger),
      leases: new Leases(guarded, resolved.logger),
      background: new BackgroundTasks(),
      loads: new SingleFlight(),
    };
    this.#refresher = new Refresher(this.#core);
    this.#graceUsed = resolved.staleIfErrorMs > 0;
  }

  /** The store this service reads and writes. */
  get store(): CacheStore {
    return this.#core.store.store;
  }

  /** Returns the cached value, or `undefined` on a miss, an expired entry or a store failure. */
  get<T>(key: KeyInput<T>): Promise<T | undefined> {
    // The hot path: one step after the store answers, nothing else asynchronous.
    let fullKey: string;
    try {
      fullKey = this.#fullKey(key);
    } catch (error) {
      return Promise.reject(error);
    }
    const core = this.#core;
    const started = startTimer(core);
    return core.store.read(fullKey, (raw) => {
      const value = core.entries.fresh(fullKey, raw, Date.now());
      emit(core, value === NO_VALUE ? 'miss' : 'hit', fullKey, started);
      return value === NO_VALUE ? undefined : (value as T);
    });
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
    const ttlMs = this.#ttlMs(ttl);
    if (value === undefined) {
      throw new CacheArgumentError(
        'E_UNDEFINED_VALUE',
        `value for key ${quoteKey(fullKey)} is undefined, which cannot be cached; use null or del()`,
        { key: fullKey },
      );
    }
    const started = startTimer(this.#core);
    if (await this.#core.entries.write(fullKey, value, ttlMs))
      emit(this.#core, 'set', fullKey, started);
  }

  /** Removes an entry; resolves `true` when one was removed (`false` on a store failure). */
  async del<T>(key: KeyInput<T>): Promise<boolean> {
    const fullKey = this.#fullKey(key);
    const started = startTimer(this.#core);
    const removed = await this.#core.store.del(fullKey);
    if (removed) emit(this.#core, 'del', fullKey, started);
    return removed;
  }

  /** Whether an unexpired entry exists, without loading its value where the store can. */
  async has<T>(key: KeyInput<T>): Promise<boolean> {
    const fullKey = this.#fullKey(key);
    if (!this.#graceUsed) return this.#core.store.has(fullKey);
    // Entries kept for stale-if-error outlive their expiry in the store: check the envelope.
    const entry = await this.#core.entries.read(fullKey);
    return entry !== undefined && entry.expiresAtMs > Date.now();
  }

  /**
   * Cache-aside: returns the cached value, or runs `fn`, caches its result for `ttl` seconds
   * (default `defaultTTL`) and returns it. Concurrent calls for one key share a single run
   * of `fn` and its outcome; rejections are not cached. A result of `undefined` is returned
   * without caching. A failure to cache the result is logged, never thrown.
   *
   * Options: `lock` (one computation across processes), `staleIfError` (seconds an expired
   * value may stand in for a failing `fn`), `fnTimeoutMs` (serve that stale value when `fn`
   * is slow). See {@link WrapOptions}.
   */
  wrap<T>(key: TypedKey<T>, fn: Loader<NoInfer<T>>, options?: WrapOptions): Promise<T>;
  wrap<T>(
    key: TypedKey<T>,
    ttl: number | undefined,
    fn: Loader<NoInfer<T>>,
    options?: WrapOptions,
  ): Promise<T>;
  wrap<T>(key: PlainKey, fn: Loader<T>, options?: WrapOptions): Promise<T>;
  wrap<T>(key: PlainKey, ttl: number | undefined, fn: Loader<T>, options?: WrapOptions): Promise<T>;
  async wrap(key: KeyInput<unknown>, ...args: unknown[]): Promise<unknown> {
    const [ttl, fn, options] = typeof args[0] === 'function' ? [undefined, ...args] : args;
    const fullKey = this.#fullKey(key);
    const ttlMs = this.#ttlMs(ttl);
    const loader = assertLoader(fn);
    const plan = this.#wrapOptions(options);
    if (plan.staleIfErrorMs > 0) this.#graceUsed = true;
    return this.#flights.run(fullKey, () =>
      readThrough(this.#core, fullKey, loader, { ...plan, ttlMs, graceMs: plan.staleIfErrorMs }),
    );
  }

  /**
   * Stale-while-revalidate. An entry younger than `staleTTL` seconds is returned as is; one
   * between `staleTTL` and `maxTTL` is returned at once and refreshed in the background
   * (one refresh per key at a time, across processes where the store allows; after a
   * failure, retries back off); a missing or older entry is computed in the foreground.
   * Refresh failures are logged, never thrown. Await `drain()` (or use `withCache`) before
   * a Lambda handler returns so refreshes finish; or pass `backgroundRefresh: false`.
   */
  wrapSWR<T>(
    key: TypedKey<T>,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<NoInfer<T>>,
    options?: WrapOptions,
  ): Promise<T>;
  wrapSWR<T>(
    key: PlainKey,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<T>,
    options?: WrapOptions,
  ): Promise<T>;
  async wrapSWR(
    key: KeyInput<unknown>,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<unknown>,
    options?: WrapOptions,
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
    const plan = this.#wrapOptions(options);
    return this.#flights.run(fullKey, () =>
      staleWhileRevalidate(this.#core, this.#refresher, fullKey, loader, staleMs, {
        ...plan,
        ttlMs: maxMs,
        graceMs: 0,
      }),
    );
  }

  /**
   * Removes every entry whose key (without the prefix) matches `pattern`: `*` matches any
   * run of characters, `?` one character, everything else is literal. Never leaves
   * `keyPrefix`. Resolves the number removed, `0` on a store failure, or `undefined` when
   * the store cannot delete by pattern. Cost depends on the store (DynamoDB scans the table).
   * @throws CacheArgumentError `E_INVALID_PATTERN` for an empty pattern
   */
  async delByPattern(pattern: string): Promise<number | undefined> {
    assertNonEmptyString(pattern, 'pattern', 'E_INVALID_PATTERN');
    const prefix = this.#core.options.keyPrefix;
    const literalBackslashes = pattern.replace(/\\/g, '\\\\');
    const storePattern =
      prefix === undefined
        ? literalBackslashes
        : `${escapeGlob(`${prefix}:`)}${literalBackslashes}`;
    const started = startTimer(this.#core);
    const removed = await this.#core.store.delByPattern(storePattern);
    if (removed) emit(this.#core, 'del', storePattern, started);
    return removed;
  }

  /**
   * Resolves once every background refresh started so far (and any work they start) has
   * settled. Lambda handlers await it before returning, so no work is frozen with the
   * environment. With `timeoutMs`, stops waiting after that long. Resolves `true` when
   * nothing is left running.
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs !== undefined) assertDurationMs(timeoutMs, 'timeoutMs');
    return this.#core.background.drain(timeoutMs);
  }

  /**
   * Module lifecycle hook: drains background work (at most 10 s) before the store it uses
   * is closed, so `stop()` loses no refresh.
   */
  async onModuleDestroy(): Promise<void> {
    if (!(await this.drain(SHUTDOWN_DRAIN_MS))) {
      this.#core.options.logger.warn(
        `background work still running after ${SHUTDOWN_DRAIN_MS} ms at shutdown; abandoning it`,
        { store: this.#core.store.name },
      );
    }
  }

  /** Registers a listener for one event type, or `'*'` for all; returns the unsubscribe function. */
  on(type: CacheEventType | '*', listener: CacheEventListener): () => void {
    return this.#core.events.on(type, listener);
  }

  /** Counters of hits, misses, stale reads, writes, refreshes, errors and lock waits; gauges of work in progress. */
  stats(): CacheStats {
    return {
      ...this.#core.events.counters(),
      inFlight: this.#flights.size,
      background: this.#core.background.size,
      leasesHeld: this.#core.leases.held,
    };
  }

  #fullKey(key: unknown): string {
    const resolved = resolveKey(key);
    const prefix = this.#core.options.keyPrefix;
    return prefix === undefined ? resolved : `${prefix}:${resolved}`;
  }

  #ttlMs(ttl: unknown): number {
    return ttl === undefined ? this.#core.options.defaultTtlMs : ttlToMs(ttl, 'ttl');
  }

  #wrapOptions(options: unknown): ResolvedWrapOptions {
    return resolveWrapOptions(options as WrapOptions | undefined, this.#core.options);
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
