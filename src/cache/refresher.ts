import { type Loader, loadAndStore, logRefreshError, readFresh } from './compute.js';
import { type CacheCore, emit, startTimer } from './core.js';
import { RefreshBackoff } from './refresh-backoff.js';

/** The longest a refresh lease is held, in milliseconds. */
const MAX_LEASE_MS = 30_000;

/** Returned by {@link Refresher.refresh} when this instance did not refresh the key. */
export const NOT_REFRESHED: unique symbol = Symbol('glasswork.notRefreshed');

/**
 * Refreshes stale stale-while-revalidate entries: at most one refresh per key per
 * instance, backoff after failures, and, across processes, only the instance that wins
 * the key's refresh lease (others keep serving the stale value).
 */
export class Refresher {
  readonly #core: CacheCore;
  readonly #backoff = new RefreshBackoff();

  constructor(core: CacheCore) {
    this.#core = core;
  }

  /** Starts a refresh nobody waits for; `drain()` does. */
  inBackground(fullKey: string, loader: Loader<unknown>, staleMs: number, maxMs: number): void {
    if (!this.#backoff.tryBegin(fullKey, Date.now())) return;
    this.#core.background.track(this.#run(fullKey, loader, staleMs, maxMs).then(noop));
  }

  /**
   * Refreshes now and resolves the fresh value, or {@link NOT_REFRESHED} when another
   * refresh is running here or elsewhere, the key is backing off, or the refresh failed.
   */
  async inline(
    fullKey: string,
    loader: Loader<unknown>,
    staleMs: number,
    maxMs: number,
  ): Promise<unknown> {
    if (!this.#backoff.tryBegin(fullKey, Date.now())) return NOT_REFRESHED;
    return this.#run(fullKey, loader, staleMs, maxMs);
  }

  /** Runs a refresh this instance has claimed; never rejects. */
  async #run(
    fullKey: string,
    loader: Loader<unknown>,
    staleMs: number,
    maxMs: number,
  ): Promise<unknown> {
    const core = this.#core;
    let succeeded = false;
    let lease: string | undefined;
    const started = startTimer(core);
    try {
      if (core.options.refreshLease) {
        const outcome = await core.leases.acquire(fullKey, Math.min(maxMs, MAX_LEASE_MS));
        if (outcome.state === 'held') {
          succeeded = true; // someone else refreshes; nothing failed here
          return NOT_REFRESHED;
        }
        if (outcome.state === 'acquired') lease = outcome.token;
        // Another instance may have refreshed between our stale read and our lease.
        const current = await readFresh(core, fullKey);
        if (current !== undefined && Date.now() - current.entry.createdAtMs < staleMs) {
          succeeded = true;
          return current.value;
        }
      }
      const value = await loadAndStore(core, fullKey, loader, maxMs, 0);
      succeeded = true;
      emit(core, 'refresh', fullKey, started);
      return value;
    } catch (error) {
      logRefreshError(core, fullKey, error);
      return NOT_REFRESHED;
    } finally {
      if (lease !== undefined) await core.leases.release(fullKey, lease);
      this.#backoff.end(fullKey, succeeded, Date.now());
    }
  }
}

function noop(): void {}
