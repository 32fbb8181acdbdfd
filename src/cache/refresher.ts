import type { CacheContext } from './context.js';
import { type Loader, loadAndStore } from './load-and-store.js';
import { RefreshBackoff } from './refresh-backoff.js';
import { emit, reportRefreshError, startTimer } from './report.js';

/** The longest a refresh lease is held, in milliseconds. */
const MAX_LEASE_MS = 30_000;

/** Returned by {@link Refresher.refresh} when this instance did not refresh the key. */
export const NOT_REFRESHED: unique symbol = Symbol('glasswork.notRefreshed');

/**
 * The refresh step of `wrapSWR`: refreshes stale stale-while-revalidate entries: at most one refresh per key per
 * instance, backoff after failures, and, across processes, only the instance that wins
 * the key's refresh lease (others keep serving the stale value).
 */
export class Refresher {
  readonly #context: CacheContext;
  readonly #backoff = new RefreshBackoff();

  constructor(context: CacheContext) {
    this.#context = context;
  }

  /** Starts a refresh nobody waits for; `drain()` does. */
  inBackground(fullKey: string, loader: Loader<unknown>, staleMs: number, maxMs: number): void {
    if (!this.#backoff.tryBegin(fullKey, Date.now())) return;
    this.#context.background.track(this.#run(fullKey, loader, staleMs, maxMs).then(noop));
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
    const context = this.#context;
    let succeeded = false;
    let lease: string | undefined;
    const started = startTimer(context);
    try {
      if (context.options.refreshLease) {
        const outcome = await context.leases.acquire(fullKey, Math.min(maxMs, MAX_LEASE_MS));
        if (outcome.state === 'held') {
          succeeded = true; // someone else refreshes; nothing failed here
          return NOT_REFRESHED;
        }
        if (outcome.state === 'acquired') lease = outcome.token;
        // Another instance may have refreshed between our stale read and our lease.
        const current = await context.entries.readFresh(fullKey);
        if (current !== undefined && Date.now() - current.entry.createdAtMs < staleMs) {
          succeeded = true;
          return current.value;
        }
      }
      const value = await loadAndStore(context, fullKey, loader, maxMs, 0);
      succeeded = true;
      emit(context, 'refresh', fullKey, started);
      return value;
    } catch (error) {
      reportRefreshError(context, fullKey, error);
      return NOT_REFRESHED;
    } finally {
      if (lease !== undefined) await context.leases.release(fullKey, lease);
      this.#backoff.end(fullKey, succeeded, Date.now());
    }
  }
}

function noop(): void {}
