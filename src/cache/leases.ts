import { quoteKey } from '../errors.js';
import type { GuardedStore } from './guarded-store.js';
import { type CacheLogger, errorMessage } from './logger.js';

/**
 * Where lease keys live: outside every key prefix, so a service with a `keyPrefix` never
 * lists, counts or deletes them (one without a prefix matches them with `*`).
 */
const LEASE_NAMESPACE = '__glasswork:lease:';

/**
 * The outcome of a lease attempt: `acquired` (compute), `held` (another instance is
 * computing), or `unavailable` (the store has no `setIfAbsent` or failed: fall back to
 * in-process coordination).
 */
export type LeaseOutcome = 'acquired' | 'held' | 'unavailable';

/**
 * Short leases in the store (`setIfAbsent` on a lease key) that let one instance among
 * many processes compute or refresh a key. A lease expires on its own if its holder dies.
 */
export class Leases {
  readonly #store: GuardedStore;
  readonly #logger: CacheLogger;
  /** Names the holder, for anyone inspecting the store. */
  readonly #token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  #held = 0;

  constructor(store: GuardedStore, logger: CacheLogger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** The number of leases this instance holds now. */
  get held(): number {
    return this.#held;
  }

  /** Tries to take the lease on `fullKey` for `ttlMs` milliseconds. */
  async acquire(fullKey: string, ttlMs: number): Promise<LeaseOutcome> {
    try {
      const won = await this.#store.setIfAbsent(LEASE_NAMESPACE + fullKey, this.#token, ttlMs);
      if (won) this.#held++;
      return won === undefined ? 'unavailable' : won ? 'acquired' : 'held';
    } catch (error) {
      // An input error (a key too long for the store once namespaced): no lease for this key.
      this.#logger.debug(`no lease for ${quoteKey(fullKey)}: ${errorMessage(error)}`, {
        key: fullKey,
      });
      return 'unavailable';
    }
  }

  /**
   * Gives the lease on `fullKey` back, so the next instance need not wait for its expiry.
   * The delete is unconditional: if this holder outlived its lease and another instance took
   * it, that instance loses it early, and at worst one more computation runs.
   */
  async release(fullKey: string): Promise<void> {
    this.#held--;
    try {
      await this.#store.del(LEASE_NAMESPACE + fullKey);
    } catch {
      // The lease expires on its own.
    }
  }
}
