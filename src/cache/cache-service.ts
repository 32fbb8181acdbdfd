import { sleep } from '../shared/timers.js';
import type { CacheStore } from '../stores/types.js';
import {
  assertDefined,
  assertLoader,
  assertStore,
  prefixedKey,
  prefixedPattern,
  swrWindows,
  wrapArguments,
} from './arguments.js';
import { BackgroundTasks } from './background.js';
import {
  type BatchEntry,
  type BatchLoader,
  batchEntries,
  batchKeys,
  type ValueOf,
  type WrapManyOptions,
  wrapManyArguments,
} from './batch-arguments.js';
import { deleteMany, getMany, tagsOf, writeMany } from './batch-path.js';
import {
  channels,
  type DelMessage,
  type DrainMessage,
  type GetMessage,
  isObserved,
  type OperationMessage,
  type SetMessage,
  traced,
  type WrapMessage,
} from './channels.js';
import type { CacheContext } from './context.js';
import { Entries, NO_VALUE } from './entries.js';
import {
  type CacheEventListener,
  CacheEvents,
  type CacheEventType,
  type CacheStats,
} from './events.js';
import { type FlightCall, Flights } from './flights.js';
import { GuardedStore } from './guarded-store.js';
import type { KeyInput, PlainKey, TypedKey } from './keys.js';
import { createTier } from './l1/create-tier.js';
import { Leases } from './leases.js';
import type { Loader } from './loader-context.js';
import {
  type CacheServiceOptions,
  type ResolvedWrapOptions,
  resolveOptions,
  resolveWrapOptions,
  type WrapOptions,
} from './options.js';
import { Refresher } from './refresher.js';
import { emit, startTimer } from './report.js';
import { type SetOptions, setArguments } from './set-options.js';
import { swrPath } from './swr-path.js';
import { assertTags } from './tags/tag-arguments.js';
import { TagState } from './tags/tag-state.js';
import { TtlUnitCheck } from './ttl-units.js';
import { assertDurationMs, ttlToMs } from './validate.js';
import { wrapManyPath } from './wrap-many-path.js';
import { wrapPath } from './wrap-path.js';

/** The tier counters of a service without `l1`. */
const NO_TIER = { l1Hits: 0, l1Entries: 0, busMessages: 0, busErrors: 0 } as const;

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
  readonly #context: CacheContext;
  readonly #refresher: Refresher;
  readonly #ttlUnits: TtlUnitCheck;

  constructor(store: CacheStore, options: CacheServiceOptions) {
    assertStore(store);
    const resolved = resolveOptions(options);
    this.#ttlUnits = new TtlUnitCheck(resolved.logger);
    this.#ttlUnits.check('defaultTTL', options.defaultTTL);
    const events = new CacheEvents();
    if (options.onEvent) events.on('*', options.onEvent);
    const guardOptions = {
      timeoutMs: resolved.storeTimeoutMs,
      patternTimeoutMs: resolved.delByPatternTimeoutMs,
      logger: resolved.logger,
      onFailure: (operation: string, key: string, error: unknown) => {
        events.emit({ type: 'error', key, store: store.name, error });
        if (channels.storeError.hasSubscribers)
          channels.storeError.publish({ operation, key, store: store.name, tier: 'store', error });
      },
    };
    const background = new BackgroundTasks(resolved.waitUntil);
    const l1 = createTier(store, guardOptions, resolved, background);
    const guarded = l1 ?? new GuardedStore(store, guardOptions);
    const tags = new TagState(guarded, resolved.keyPrefix);
    this.#context = {
      options: resolved,
      store: guarded,
      events,
      tags,
      entries: new Entries(guarded, resolved.serializer, resolved.logger, tags),
      leases: new Leases(guarded, resolved.logger),
      background,
      flights: new Flights(),
      l1,
    };
    this.#refresher = new Refresher(this.#context);
  }

  /** The store this service reads and writes. */
  get store(): CacheStore {
    return this.#context.store.store;
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
    if (!isObserved(channels.get)) return this.#get(fullKey, false, undefined);
    const message = this.#message<GetMessage>({ operation: 'get', key: fullKey });
    return traced(channels.get, message, () => this.#get<T>(fullKey, false, message));
  }

  /** `get` after the key is checked; `trace` is the message when `glasswork:get` is observed. */
  #get<T>(fullKey: string, again: boolean, trace: GetMessage | undefined): Promise<T | undefined> {
    const context = this.#context;
    const started = startTimer(context);
    const settle = (value: unknown): T | undefined => {
      const outcome = value === NO_VALUE ? 'miss' : 'hit';
      if (trace !== undefined) trace.outcome = outcome;
      emit(context, outcome, fullKey, started);
      return value === NO_VALUE ? undefined : (value as T);
    };
    const reading = context.store.read(fullKey, (raw) => {
      const value = context.entries.fresh(fullKey, raw, Date.now());
      if (!(value instanceof Promise)) return settle(value);
      // A tagged entry, or a generation to read again: its validity needs a read. An
      // in-memory copy may age past maxAgeMs meanwhile: read it again, once.
      if (!again && context.store.servedFrom(fullKey) === 'l1') {
        return value.then(() => this.#get<T>(fullKey, true, trace));
      }
      return value.then(settle);
    });
    context.tags.prime(); // overlaps the entry's read when the generation is due
    return reading;
  }

  /**
   * Stores `value` for `ttl` seconds (default `defaultTTL`), given as a number or as
   * `{ ttl, tags }`. `null` is a value; `undefined` is refused. A store failure is logged
   * and the call resolves.
   * @throws CacheArgumentError `E_INVALID_TTL`, `E_INVALID_KEY`, `E_UNDEFINED_VALUE`,
   *   `E_INVALID_TAG`, `E_INVALID_OPTION` (an unknown option)
   * @throws CacheSerializationError `E_SERIALIZE` when the value cannot be serialized faithfully
   * @throws CacheLimitError when the store cannot hold the entry (`E_VALUE_TOO_LARGE`, `E_KEY_TOO_LONG`)
   * @example
   * await cache.set('product:42', product, { ttl: 600, tags: ['product:42', 'catalog'] });
   */
  async set<T>(key: KeyInput<T>, value: NoInfer<T>, ttl?: number | SetOptions): Promise<void> {
    const fullKey = this.#fullKey(key);
    const call = setArguments(ttl);
    const ttlMs = this.#ttlMs(call.ttl);
    assertDefined(value, fullKey);
    if (!isObserved(channels.set)) return this.#set(fullKey, value, ttlMs, call.tags, undefined);
    const message = this.#message<SetMessage>({ operation: 'set', key: fullKey, ttlMs });
    return traced(channels.set, message, () =>
      this.#set(fullKey, value, ttlMs, call.tags, message),
    );
  }

  async #set(
    fullKey: string,
    value: unknown,
    ttlMs: number,
    tags: readonly string[],
    trace: SetMessage | undefined,
  ) {
    const started = startTimer(this.#context);
    const stamp = await this.#context.tags.capture(tags);
    const written = await this.#context.entries.write(fullKey, value, ttlMs, stamp);
    if (trace !== undefined) trace.written = written;
    if (written) emit(this.#context, 'set', fullKey, started);
  }

  /** Removes an entry; resolves `true` when one was removed (`false` on a store failure). */
  async del<T>(key: KeyInput<T>): Promise<boolean> {
    const fullKey = this.#fullKey(key);
    if (!isObserved(channels.del)) return this.#del(fullKey, undefined);
    const message = this.#message<DelMessage>({ operation: 'del', key: fullKey });
    return traced(channels.del, message, () => this.#del(fullKey, message));
  }

  async #del(fullKey: string, trace: DelMessage | undefined): Promise<boolean> {
    const started = startTimer(this.#context);
    const removed = await this.#context.store.del(fullKey);
    if (trace !== undefined) trace.removed = removed ? 1 : 0;
    if (removed) emit(this.#context, 'del', fullKey, started);
    return removed;
  }

  /**
   * Whether an unexpired entry exists, judged by the entry's own expiry whichever instance
   * wrote it, without loading its value where the store can (`getHead`). An entry whose
   * value cannot be deserialized is still `true` here while `get` misses it.
   */
  async has<T>(key: KeyInput<T>): Promise<boolean> {
    const fullKey = this.#fullKey(key);
    if (!isObserved(channels.has)) return this.#context.entries.isFresh(fullKey);
    const message = this.#message<GetMessage>({ operation: 'has', key: fullKey });
    return traced(channels.has, message, async () => {
      const fresh = await this.#context.entries.isFresh(fullKey);
      message.outcome = fresh ? 'hit' : 'miss';
      return fresh;
    });
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
  wrap<T, Stale = T>(key: PlainKey, fn: Loader<T, Stale>, options?: WrapOptions): Promise<T>;
  wrap<T, Stale = T>(
    key: PlainKey,
    ttl: number | undefined,
    fn: Loader<T, Stale>,
    options?: WrapOptions,
  ): Promise<T>;
  async wrap(
    key: KeyInput<unknown>,
    ttlOrFn: number | undefined | Loader<unknown>,
    fnOrOptions?: Loader<unknown> | WrapOptions,
    options?: WrapOptions,
  ): Promise<unknown> {
    const fullKey = this.#fullKey(key);
    const call = wrapArguments(ttlOrFn, fnOrOptions, options);
    const ttlMs = this.#ttlMs(call.ttl);
    const loader = call.fn;
    const plan = this.#wrapOptions(call.options);
    if (plan.signal?.aborted) throw plan.signal.reason;
    const run = (trace: WrapMessage | undefined) =>
      this.#share(
        shareKey(fullKey, plan.staleIfErrorMs > 0 || plan.fnTimeoutMs > 0 ? 'stale' : ''),
        (call) => {
          if (trace !== undefined) trace.coalesced = false;
          return wrapPath(this.#context, fullKey, loader, {
            ...plan,
            ttlMs,
            graceMs: plan.staleIfErrorMs,
            call,
            trace,
          });
        },
        plan,
      );
    if (!isObserved(channels.wrap)) return run(undefined);
    const message = this.#message<WrapMessage>({
      operation: 'wrap',
      key: fullKey,
      ttlMs,
      coalesced: true,
    });
    return traced(channels.wrap, message, () => run(message));
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
  wrapSWR<T, Stale = T>(
    key: PlainKey,
    staleTTL: number,
    maxTTL: number,
    fn: Loader<T, Stale>,
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
    const { staleMs, maxMs } = swrWindows(staleTTL, maxTTL, fullKey);
    this.#ttlUnits.check('staleTTL', staleTTL);
    this.#ttlUnits.check('maxTTL', maxTTL);
    const loader = assertLoader(fn);
    const plan = this.#wrapOptions(options);
    if (plan.signal?.aborted) throw plan.signal.reason;
    const run = (trace: WrapMessage | undefined) =>
      this.#share(
        shareKey(fullKey, 'swr'),
        (call) => {
          if (trace !== undefined) trace.coalesced = false;
          return swrPath(this.#context, this.#refresher, fullKey, loader, staleMs, {
            ...plan,
            ttlMs: maxMs,
            graceMs: 0,
            call,
            trace,
          });
        },
        plan,
      );
    if (!isObserved(channels.wrap)) return run(undefined);
    const message = this.#message<WrapMessage>({
      operation: 'wrapSWR',
      key: fullKey,
      ttlMs: maxMs,
      coalesced: true,
    });
    return traced(channels.wrap, message, () => run(message));
  }

  /**
   * The cached values under `keys`, aligned with them (`undefined` for a miss), read in as
   * few round trips as the store allows. Duplicate keys are allowed; `[]` resolves `[]`.
   * @throws CacheArgumentError `E_INVALID_ARGUMENT` for a non-array or over 1,000 keys,
   *   `E_INVALID_KEY` naming the bad element
   * @example
   * const [alice, bob] = await cache.getMany([userKey('1'), userKey('2')]);
   */
  async getMany<T>(keys: readonly KeyInput<T>[]): Promise<(T | undefined)[]> {
    const fullKeys = batchKeys(this.#context.options.keyPrefix, keys, 'getMany');
    return (await getMany(this.#context, fullKeys)) as (T | undefined)[];
  }

  /**
   * Stores each entry's `value` for its `ttl` seconds (default `defaultTTL`) in as few round
   * trips as the store allows; of a key given twice, the last entry wins. Every entry is
   * checked before anything is written (its size too where the store has `setMany`). A
   * store failure is logged and the call resolves.
   * @throws CacheArgumentError `E_INVALID_ARGUMENT` (not an array, over 1,000 entries, an
   *   entry that is not an object), `E_INVALID_KEY`, `E_INVALID_TTL`, `E_UNDEFINED_VALUE`
   * @throws CacheSerializationError, CacheLimitError as `set` does
   */
  async setMany<T>(entries: readonly BatchEntry<T>[]): Promise<void> {
    const { keyPrefix, defaultTtlMs } = this.#context.options;
    const checked = batchEntries(keyPrefix, entries, defaultTtlMs);
    if (checked.length === 0) return;
    await writeMany(this.#context, checked, await this.#context.tags.capture(tagsOf(checked)));
  }

  /**
   * Removes the entries under `keys`; resolves how many were removed (`0` on a store
   * failure). Duplicate keys count once.
   * @throws CacheArgumentError `E_INVALID_ARGUMENT`, `E_INVALID_KEY` as {@link getMany}
   */
  async delMany(keys: readonly KeyInput<unknown>[]): Promise<number> {
    return deleteMany(this.#context, batchKeys(this.#context.options.keyPrefix, keys, 'delMany'));
  }

  /**
   * Cache-aside for many keys: reads them in one batch, calls `fn` once with the keys that
   * missed (as given, each once) and caches the values it returns, aligned with those keys,
   * for `ttl` seconds (default `defaultTTL`); `undefined` is returned, not cached. A key
   * being computed by `wrap` or another `wrapMany` is not loaded again: this call waits for
   * it, and `wrap` calls for keys this call is loading wait for it. Store failures are
   * logged and mean the keys are loaded. `fn`'s rejection rejects the call.
   * @throws CacheArgumentError as {@link getMany}; `E_INVALID_OPTION` for `lock: true`;
   *   `E_INVALID_ARGUMENT` when `fn` returns something other than one value per key
   * @example
   * const users = await cache.wrapMany(ids.map((id) => userKey(id)), 600, (missing) => loadUsers(missing));
   */
  wrapMany<K extends TypedKey<unknown>>(
    keys: readonly K[],
    fn: BatchLoader<K, ValueOf<K>>,
    options?: WrapManyOptions,
  ): Promise<ValueOf<K>[]>;
  wrapMany<K extends TypedKey<unknown>>(
    keys: readonly K[],
    ttl: number | undefined,
    fn: BatchLoader<K, ValueOf<K>>,
    options?: WrapManyOptions,
  ): Promise<ValueOf<K>[]>;
  wrapMany<T>(
    keys: readonly PlainKey[],
    fn: BatchLoader<string, T>,
    options?: WrapManyOptions,
  ): Promise<T[]>;
  wrapMany<T>(
    keys: readonly PlainKey[],
    ttl: number | undefined,
    fn: BatchLoader<string, T>,
    options?: WrapManyOptions,
  ): Promise<T[]>;
  async wrapMany(
    keys: readonly KeyInput<unknown>[],
    ttlOrFn: number | undefined | BatchLoader<never, unknown>,
    fnOrOptions?: BatchLoader<never, unknown> | WrapManyOptions,
    options?: WrapManyOptions,
  ): Promise<unknown[]> {
    const fullKeys = batchKeys(this.#context.options.keyPrefix, keys, 'wrapMany');
    const call = wrapManyArguments(ttlOrFn, fnOrOptions, options, this.#context.options.lock);
    return wrapManyPath(this.#context, keys, fullKeys, call.fn, this.#ttlMs(call.ttl), call.tags);
  }

  /**
   * Removes every entry whose key (without the prefix) matches `pattern`: `*` matches any
   * run of characters, `?` one character, everything else is literal. Never leaves
   * `keyPrefix`. Resolves the number removed, `0` on a store failure, or `undefined` when
   * the store cannot delete by pattern. Cost depends on the store (DynamoDB scans the table).
   * @throws CacheArgumentError `E_INVALID_PATTERN` for an empty pattern
   */
  async delByPattern(pattern: string): Promise<number | undefined> {
    const storePattern = prefixedPattern(this.#context.options.keyPrefix, pattern);
    if (!isObserved(channels.del)) return this.#delByPattern(storePattern, undefined);
    const message = this.#message<DelMessage>({ operation: 'delByPattern', key: storePattern });
    return traced(channels.del, message, () => this.#delByPattern(storePattern, message));
  }

  async #delByPattern(
    storePattern: string,
    trace: DelMessage | undefined,
  ): Promise<number | undefined> {
    const started = startTimer(this.#context);
    const removed = await this.#context.store.delByPattern(storePattern);
    if (trace !== undefined && removed !== undefined) trace.removed = removed;
    if (removed) emit(this.#context, 'del', storePattern, started);
    return removed;
  }

  /**
   * Invalidates every entry carrying any of `tags`, on every instance, at the cost of one
   * store write per tag whatever the number of entries (each tag gets a new version; entries
   * recorded the version they were computed under). Once it resolves `true`, no read
   * returns such an entry written, or whose loader started, before the call — not `wrapSWR`
   * or `staleIfError` either (with `l1`: within its `maxAgeMs`). Resolves `false` when the
   * store failed (logged): the entries may still be served.
   * @throws CacheArgumentError `E_INVALID_TAG`
   * @example
   * await cache.invalidateTags(['product:42']);
   */
  async invalidateTags(tags: readonly string[]): Promise<boolean> {
    const checked = assertTags(tags, 'tags');
    if (checked.length === 0) return true;
    const context = this.#context;
    const started = startTimer(context);
    const done = await context.tags.invalidate(checked);
    context.flights.detach((carried) => carried.some((tag) => checked.includes(tag)));
    if (done) for (const tag of checked) emit(context, 'del', context.tags.tagKey(tag), started);
    return done;
  }

  /**
   * Invalidates every entry under this service's `keyPrefix` (without one: every entry
   * written by services without one) on every instance with one store write: no scan, no
   * key listing. Resolves `true` once no instance reads those entries any more, about one
   * second after the write (instances read the generation straight from the store, `l1` or
   * not, at most a second apart); `false` at once when the store failed (logged). Other prefixes are untouched. Entries stay in the store until they
   * expire; use `delByPattern('*')` to reclaim the space at once.
   */
  async clear(): Promise<boolean> {
    const context = this.#context;
    const written = await context.tags.newGeneration();
    context.flights.detach(() => true);
    if (written) await sleep(context.tags.clearWaitMs);
    return written;
  }

  /**
   * Resolves once every background refresh started so far (and any work they start) has
   * settled. Lambda handlers await it before returning, so no work is frozen with the
   * environment. With `timeoutMs`, stops waiting after that long. Resolves `true` when
   * nothing is left running.
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    if (timeoutMs !== undefined) assertDurationMs(timeoutMs, 'timeoutMs');
    const background = this.#context.background;
    if (!isObserved(channels.drain)) return background.drain(timeoutMs);
    const message = this.#message<DrainMessage>({
      operation: 'drain',
      key: '',
      pending: background.size,
      timeoutMs,
    });
    return traced(channels.drain, message, async () => {
      const done = await background.drain(timeoutMs);
      message.remaining = background.size;
      return done;
    });
  }

  /**
   * Module lifecycle hook: drains background work (at most 10 s) before the store it uses
   * is closed, so `stop()` loses no refresh; then closes the `l1` invalidation bus, if any.
   */
  async onModuleDestroy(): Promise<void> {
    if (!(await this.drain(SHUTDOWN_DRAIN_MS))) {
      this.#context.options.logger.warn(
        `background work still running after ${SHUTDOWN_DRAIN_MS} ms at shutdown; abandoning it`,
        { store: this.#context.store.name },
      );
    }
    await this.#context.l1?.close();
  }

  /** Registers a listener for one event type, or `'*'` for all; returns the unsubscribe function. */
  on(type: CacheEventType | '*', listener: CacheEventListener): () => void {
    return this.#context.events.on(type, listener);
  }

  /** Counters of hits, misses, stale reads, writes, refreshes, errors and lock waits; gauges of work in progress. */
  stats(): CacheStats {
    return {
      ...this.#context.events.counters(),
      inFlight: this.#context.flights.size,
      background: this.#context.background.size,
      leasesHeld: this.#context.leases.held,
      ...(this.#context.l1?.counters() ?? NO_TIER),
    };
  }

  /**
   * Runs `start` for `key` or joins the call running for it. A caller that joined a call
   * whose load was invalidated while it ran (a tag or clear(), on any instance) does not take
   * its value: it runs once more, so no caller that may have started after the invalidation
   * gets a value computed before it. The caller that started the call takes the value.
   */
  async #share(
    key: string,
    start: (call: FlightCall) => Promise<unknown>,
    plan: ResolvedWrapOptions,
    retried = false,
  ): Promise<unknown> {
    const flights = this.#context.flights;
    let started = false;
    const shared = flights.share(
      key,
      (call) => {
        started = true;
        return start(call);
      },
      plan.signal,
      plan.tags,
    );
    const joined = started ? undefined : flights.callOf(key);
    const value = await shared;
    return joined?.invalidated && !retried ? this.#share(key, start, plan, true) : value;
  }

  /** The message of a traced operation: `fields` and this service's store and tier. */
  #message<M extends OperationMessage>(fields: Omit<M, 'store' | 'tier'>): M {
    return { ...fields, store: this.#context.store.name, tier: 'store' } as M;
  }

  #fullKey(key: unknown): string {
    return prefixedKey(this.#context.options.keyPrefix, key);
  }

  #ttlMs(ttl: unknown): number {
    if (ttl === undefined) return this.#context.options.defaultTtlMs;
    const ttlMs = ttlToMs(ttl, 'ttl');
    this.#ttlUnits.check('ttl', ttl);
    return ttlMs;
  }

  #wrapOptions(options: WrapOptions | undefined): ResolvedWrapOptions {
    return resolveWrapOptions(options, this.#context.options);
  }
}

/**
 * The key concurrent calls share a flight under: the full key, set apart by what a caller
 * accepts, so a caller that allows no stale value never gets one another caller allowed
 * (`stale`: `staleIfError` or `fnTimeoutMs`; `swr`: `wrapSWR`). Loads stay one per full key.
 */
function shareKey(fullKey: string, accepts: '' | 'stale' | 'swr'): string {
  return accepts === '' ? fullKey : `${fullKey}\u0000${accepts}`;
}
