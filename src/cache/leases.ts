import { quoteKey } from '../errors.js';
import { type CacheLogger, errorMessage } from '../shared/logger.js';
import type { GuardedStore } from './guarded-store.js';

/**
 * Where lease keys live: outside every key prefix, so a service with a `keyPrefix` never
 * lists, counts or deletes them (one without a prefix matches them with `*`).
 */
const LEASE_NAMESPACE = '__glasswork:lease:';

/**
 * The outcome of a lease attempt: `acquired` (compute, then release this `token`), `held`
 * (another holder is computing), or `unavailable` (the store has no `setIfAbsent` or
 * failed: fall back to in-process coordination).
 */
export type LeaseOutcome =
  | { state: 'acquired'; token: string }
  | { state: 'held' }
  | { state: 'unavailable' };

/**
 * Short leases in the store (`setIfAbsent` on a lease key) that let one instance among
 * many processes compute or refresh a key. A lease expires on its own if its holder dies.
 * Each lease holds its own token, and release deletes the lease only while it still holds
 * that token (`delIfEquals`), so a holder that outlived its lease never removes the lease
 * another instance took since.
 */
export class Leases {
  readonly #store: GuardedStore;
  readonly #logger: CacheLogger;
  /** Names the holder, for anyone inspecting the store. */
  readonly #holder = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  #taken = 0;
  /** The tokens of the leases held now. */
  readonly #tokens = new Set<string>();

  constructor(store: GuardedStore, logger: CacheLogger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** The number of leases this instance holds now. */
  get held(): number {
    return this.#tokens.size;
  }

  /** Tries to take the lease on `fullKey` for `ttlMs` milliseconds. */
  async acquire(fullKey: string, ttlMs: number): Promise<LeaseOutcome> {
    const token = `${this.#holder}-${(++this.#taken).toString(36)}`;
    try {
      const won = await this.#store.setIfAbsent(LEASE_NAMESPACE + fullKey, token, ttlMs);
      if (won === undefined) return { state: 'unavailable' };
      if (!won) return { state: 'held' };
      this.#tokens.add(token);
      return { state: 'acquired', token };
    } catch (error) {
      // An input error (a key too long for the store once namespaced): no lease for this key.
      this.#logger.debug(`no lease for ${quoteKey(fullKey)}: ${errorMessage(error)}`, {
        key: fullKey,
      });
      return { state: 'unavailable' };
    }
  }

  /**
   * Gives back the lease on `fullKey` taken with `token`, so the next holder need not wait
   * for its expiry. A lease that expired and was taken again since (by another instance or
   * this one) stays. With a store that has no `delIfEquals`, the lease is deleted outright.
   */
  async release(fullKey: string, token: string): Promise<void> {
    if (!this.#tokens.delete(token)) return;
    try {
      await this.#store.delIfEquals(LEASE_NAMESPACE + fullKey, token);
    } catch {
      // A store failure is logged by the guarded store; the lease expires on its own.
    }
  }
}
