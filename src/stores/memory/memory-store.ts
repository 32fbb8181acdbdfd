import { CacheArgumentError, describeValue } from '../../errors.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../../shared/options.js';
import { compileGlob } from '../glob.js';
import type { CacheStore, StoreEntry } from '../types.js';

/** Options of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /**
   * The most entries kept; past it, the least recently used entry is evicted.
   * @default 10000
   */
  maxEntries?: number;
}

const OPTION_KEYS = acceptedKeys({ maxEntries: true } satisfies KeyList<MemoryCacheStoreOptions>);

interface MemoryEntry {
  payload: string;
  expiresAtMs: number;
}

/**
 * An in-process store for tests and local development: a bounded LRU map of payloads.
 * Expiry follows `Date.now()`, so fake timers drive it; it starts no timers of its own.
 * Not for Lambda production use: nothing survives the process.
 *
 * @example
 * const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
 */
export class MemoryCacheStore implements CacheStore {
  readonly name = 'memory';
  /** Calls never wait on I/O. */
  readonly callTimeoutMs = 0;
  readonly #maxEntries: number;
  // Map iteration order is insertion order: the first key is the least recently used.
  readonly #entries = new Map<string, MemoryEntry>();

  /** @throws CacheArgumentError `E_INVALID_OPTION` for a bad or unknown option */
  constructor(options: MemoryCacheStoreOptions = {}) {
    const invalid = (message: string) =>
      new CacheArgumentError('E_INVALID_OPTION', message, { store: this.name });
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw invalid(`MemoryCacheStore options must be an object, got ${describeValue(options)}`);
    }
    const unknownKey = unknownKeyProblem(options, OPTION_KEYS, 'MemoryCacheStore options');
    if (unknownKey !== undefined) throw invalid(unknownKey);
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw invalid(`maxEntries must be a positive integer, got ${describeValue(maxEntries)}`);
    }
    this.#maxEntries = maxEntries;
  }

  /** The number of entries held, expired ones not yet evicted included. */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.payload;
  }

  async set(key: string, payload: string, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { payload, expiresAtMs: Date.now() + ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  async setIfAbsent(key: string, payload: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    await this.set(key, payload, ttlMs);
    return true;
  }

  async del(key: string): Promise<boolean> {
    return this.#live(key) !== undefined && this.#entries.delete(key);
  }

  async delIfEquals(key: string, payload: string): Promise<boolean> {
    return this.#live(key)?.payload === payload && this.#entries.delete(key);
  }

  async has(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async setIfHead(key: string, head: string, payload: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key)?.payload.startsWith(head) !== true) return false;
    await this.set(key, payload, ttlMs);
    return true;
  }

  async getHead(key: string, length: number): Promise<string | undefined> {
    return this.#live(key)?.payload.slice(0, length);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    for (const { key, payload, ttlMs } of entries) await this.set(key, payload, ttlMs);
  }

  async delMany(keys: readonly string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (await this.del(key)) removed++;
    return removed;
  }

  async delByPattern(pattern: string): Promise<number> {
    const matches = compileGlob(pattern);
    let removed = 0;
    for (const key of [...this.#entries.keys()]) {
      if (matches(key) && this.#live(key) !== undefined) {
        this.#entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Removes every entry. */
  async clear(): Promise<void> {
    this.#entries.clear();
  }

  async close(): Promise<void> {
    this.#entries.clear();
  }

  /** Closes the store when the application stops (see `bootstrap`). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Returns the unexpired entry under `key`, dropping it when expired. */
  #live(key: string): MemoryEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs > Date.now()) return entry;
    this.#entries.delete(key);
    return undefined;
  }
}
