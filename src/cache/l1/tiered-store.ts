import { compileGlob } from '../../stores/glob.js';
import type { CacheStore, StoreEntry } from '../../stores/types.js';
import { type Fence, GuardedStore } from '../guarded-store.js';
import type { BusLink } from './bus-link.js';
import type { Copies } from './copies.js';

/**
 * The guarded store with an in-process tier (L1) in front: reads are answered from a
 * usable copy when there is one, and fill it from the store otherwise; writes through
 * this instance replace or drop its copy, then publish the change on the bus once the
 * store accepted it. Leases pass straight through. `CacheService` uses it in place of
 * {@link GuardedStore} when `l1` is set, so every read path (get, has, wrap, wrapSWR,
 * lock waiters) meets the tier.
 */
export class TieredStore extends GuardedStore {
  readonly #copies: Copies;
  readonly #link: BusLink | undefined;
  /** Reads answered from a copy. */
  #hits = 0;

  constructor(
    store: CacheStore,
    options: ConstructorParameters<typeof GuardedStore>[1],
    copies: Copies,
    link: BusLink | undefined,
  ) {
    super(store, options);
    this.#copies = copies;
    this.#link = link;
  }

  /** Where the last read of `key` was answered. */
  override servedFrom(key: string): 'l1' | 'store' {
    return this.#copies.served(key) ? 'l1' : 'store';
  }

  override get(key: string): Promise<string | undefined> {
    const raw = this.#local(key);
    if (raw !== undefined) return Promise.resolve(raw);
    const ticket = this.#begin();
    const startedAtMs = Date.now();
    let settled = false;
    return super.get(key).then(
      (stored) => {
        settled = true;
        this.#copies.settle(key, ticket, stored, startedAtMs);
        return stored;
      },
      (error: unknown) => {
        if (!settled) this.#copies.settle(key, ticket, undefined, startedAtMs);
        throw error;
      },
    );
  }

  override read<T>(
    key: string,
    then: (payload: string | undefined) => T | PromiseLike<T>,
  ): Promise<T> {
    const raw = this.#local(key);
    if (raw !== undefined) {
      try {
        return Promise.resolve(then(raw));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const ticket = this.#begin();
    const startedAtMs = Date.now();
    let settled = false;
    return super
      .read(key, (stored) => {
        settled = true;
        this.#copies.settle(key, ticket, stored, startedAtMs);
        return then(stored);
      })
      .then(undefined, (error: unknown) => {
        if (!settled) this.#copies.settle(key, ticket, undefined, startedAtMs);
        throw error;
      });
  }

  override getHead(key: string, length: number): Promise<string | undefined> {
    const raw = this.#local(key);
    return raw !== undefined ? Promise.resolve(raw.slice(0, length)) : super.getHead(key, length);
  }

  override set(key: string, payload: string, ttlMs: number): Promise<boolean> {
    return this.#write(key, payload, () => super.set(key, payload, ttlMs));
  }

  override setFenced(key: string, payload: string, ttlMs: number, fence: Fence): Promise<boolean> {
    const store = this.store;
    // Without the conditional write the store has, the guard falls back to set (above).
    if ('absentAtMs' in fence ? !store.setIfAbsent : !store.setIfHead) {
      return this.set(key, payload, ttlMs);
    }
    return this.#write(key, payload, () => super.setFenced(key, payload, ttlMs, fence));
  }

  override del(key: string): Promise<boolean> {
    this.#link?.start();
    this.#copies.drop(key);
    return super.del(key).finally(() => {
      this.#copies.drop(key);
      this.#link?.publish([key], []);
    });
  }

  /**
   * Serves what it holds and reads the rest in one batch, keeping copies of what it read
   * (each key with its own ticket, as a single-key read: none is kept for a key invalidated
   * while the batch was in flight).
   */
  override getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    const local = keys.map((key) => this.#local(key));
    const missing = keys.filter((_, i) => local[i] === undefined);
    if (missing.length === 0) return Promise.resolve(local);
    const tickets = missing.map(() => this.#begin());
    const startedAtMs = Date.now();
    const settle = (read: readonly (string | undefined)[] | undefined) => {
      for (const [i, key] of missing.entries()) {
        this.#copies.settle(key, tickets[i]!, read?.[i], startedAtMs);
      }
    };
    return super.getMany(missing).then(
      (read) => {
        settle(read);
        let next = 0;
        return local.map((raw) => raw ?? read[next++]);
      },
      (error: unknown) => {
        settle(undefined);
        throw error;
      },
    );
  }

  /** Drops the copies of the keys written, before and after the store write, and publishes them. */
  override setMany(entries: readonly StoreEntry[]): Promise<boolean[]> {
    const keys = entries.map((entry) => entry.key);
    return this.#dropAround(keys, () => super.setMany(entries));
  }

  /** Drops the copies of the keys removed, before and after the store call, and publishes them. */
  override delMany(keys: readonly string[]): Promise<number> {
    return this.#dropAround(keys, () => super.delMany(keys));
  }

  #dropAround<T>(keys: readonly string[], call: () => Promise<T>): Promise<T> {
    this.#link?.start();
    for (const key of keys) this.#copies.drop(key);
    return call().finally(() => {
      for (const key of keys) this.#copies.drop(key);
      this.#link?.publish([...keys], []);
    });
  }

  override delByPattern(pattern: string): Promise<number | undefined> {
    const matches = compileGlob(pattern);
    this.#link?.start();
    this.#copies.dropMatching(matches);
    return super.delByPattern(pattern).then((removed) => {
      this.#copies.dropMatching(matches);
      if (removed !== undefined) this.#link?.publish([], [pattern]);
      return removed;
    });
  }

  /** The tier's counters and gauge, as `stats()` reports them. */
  counters(): { l1Hits: number; l1Entries: number; busMessages: number; busErrors: number } {
    return {
      l1Hits: this.#hits,
      l1Entries: this.#copies.size,
      busMessages: this.#link?.received ?? 0,
      busErrors: this.#link?.errors ?? 0,
    };
  }

  /** Stops listening to the bus and closes it. */
  close(): Promise<void> {
    return this.#link?.close() ?? Promise.resolve();
  }

  #local(key: string): string | undefined {
    const raw = this.#copies.get(key, Date.now());
    if (raw !== undefined) this.#hits++;
    return raw;
  }

  #begin(): number {
    this.#link?.start();
    return this.#copies.begin();
  }

  /**
   * Drops the copy before writing and again once the store answered, so no read in flight
   * meanwhile keeps the old payload; keeps the new one and publishes only if it was stored.
   * Ages count from the start of the store call: what it returned or wrote may have been
   * superseded from then on.
   */
  #write(key: string, payload: string, write: () => Promise<boolean>): Promise<boolean> {
    this.#link?.start();
    this.#copies.drop(key);
    const startedAtMs = Date.now();
    return write().then(
      (stored) => {
        this.#copies.drop(key);
        if (stored) {
          this.#copies.put(key, payload, startedAtMs, Date.now());
          this.#link?.publish([key], []);
        }
        return stored;
      },
      (error: unknown) => {
        this.#copies.drop(key);
        throw error;
      },
    );
  }
}
