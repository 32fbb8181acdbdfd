import { channels, isObserved, type RefreshMessage, traced } from './channels.js';
import type { CacheContext } from './context.js';
import { type Entry, entryHead } from './envelope.js';
import { loadAndStore } from './load-and-store.js';
import type { Loader } from './loader-context.js';
import { RefreshBackoff } from './refresh-backoff.js';
import { emit, reportRefreshError, startTimer } from './report.js';

/** Refresh lease bounds, in milliseconds: before a key's loader time is known, and the range. */
const FIRST_LEASE_MS = 10_000;
const MIN_LEASE_MS = 2_000;
const MAX_LEASE_MS = 30_000;
/** A lease lasts this many times the key's last loader time. */
const LEASE_PER_LOAD = 4;
/** How many keys' loader times are remembered. */
const MAX_TIMED_KEYS = 10_000;

/** Returned by {@link Refresher.inline} when this instance did not refresh the key. */
export const NOT_REFRESHED: unique symbol = Symbol('glasswork.notRefreshed');

/** One refresh of a stale `wrapSWR` entry. */
export interface RefreshPlan {
  loader: Loader<unknown>;
  /** The fresh window, in milliseconds. */
  staleMs: number;
  /** The entry's lifetime (`maxTTL`), in milliseconds. */
  maxMs: number;
  /** The stale value being replaced (the loader's `context.stale`). */
  stale: unknown;
  /** The stale entry being replaced: the refresh writes only over it. */
  entry: Entry;
  /** `fnHardTimeoutMs`: abort the loader after this long; `0` never. */
  hardTimeoutMs: number;
  /** Aborts when everyone waiting for this refresh gave up (inline refreshes). */
  abandoned?: AbortSignal | undefined;
  /** The tags the refreshed entry carries. */
  tags: readonly string[];
}

/**
 * The refresh step of `wrapSWR`: at most one refresh per key per instance, backoff after
 * failures, and, across processes, only the instance that wins the key's refresh lease
 * (others keep serving the stale value). The refreshed value is written only over the
 * stale entry it replaces (`setIfHead`), so a refresh frozen with its Lambda environment
 * never overwrites a newer entry. A lease lasts 4× the key's last loader time (2–30 s;
 * 10 s before the first), so one orphaned by a freeze holds others back briefly.
 */
export class Refresher {
  readonly #context: CacheContext;
  readonly #backoff = new RefreshBackoff();
  /** The last loader time per key, in milliseconds. */
  readonly #loadMs = new Map<string, number>();

  constructor(context: CacheContext) {
    this.#context = context;
  }

  /** Starts a refresh nobody waits for; `drain()` does. */
  inBackground(fullKey: string, plan: RefreshPlan): void {
    if (!this.#backoff.tryBegin(fullKey, Date.now())) return;
    this.#context.background.track(this.#traced(fullKey, plan, true).then(noop));
  }

  /**
   * Refreshes now and resolves the fresh value, or {@link NOT_REFRESHED} when another
   * refresh is running here or elsewhere, the key is backing off, or the refresh failed.
   */
  async inline(fullKey: string, plan: RefreshPlan): Promise<unknown> {
    if (!this.#backoff.tryBegin(fullKey, Date.now())) return NOT_REFRESHED;
    return this.#traced(fullKey, plan, false);
  }

  #traced(fullKey: string, plan: RefreshPlan, background: boolean): Promise<unknown> {
    if (!isObserved(channels.refresh)) return this.#run(fullKey, plan, undefined);
    const message: RefreshMessage = {
      operation: 'refresh',
      key: fullKey,
      store: this.#context.store.name,
      tier: 'store',
      background,
    };
    return traced(channels.refresh, message, () => this.#run(fullKey, plan, message));
  }

  /** Runs a refresh this instance has claimed; never rejects. */
  async #run(
    fullKey: string,
    plan: RefreshPlan,
    trace: RefreshMessage | undefined,
  ): Promise<unknown> {
    const context = this.#context;
    const { staleMs, maxMs } = plan;
    let succeeded = false;
    let lease: string | undefined;
    const started = startTimer(context);
    try {
      if (context.options.refreshLease) {
        const outcome = await context.leases.acquire(
          fullKey,
          Math.min(maxMs, this.#leaseMs(fullKey)),
        );
        if (outcome.state === 'held') {
          succeeded = true; // someone else refreshes; nothing failed here
          if (trace !== undefined) trace.outcome = 'skipped';
          return NOT_REFRESHED;
        }
        if (outcome.state === 'acquired') lease = outcome.token;
        // Another instance may have refreshed between our stale read and our lease.
        const current = await context.entries.readFresh(fullKey, plan.tags);
        if (current !== undefined && Date.now() - current.entry.createdAtMs < staleMs) {
          succeeded = true;
          if (trace !== undefined) trace.outcome = 'skipped';
          return current.value;
        }
      }
      const loadStarted = performance.now();
      const value = await loadAndStore(
        context,
        fullKey,
        plan.loader,
        {
          ttlMs: maxMs,
          stale: { value: plan.stale },
          hardTimeoutMs: plan.hardTimeoutMs,
          abandoned: plan.abandoned,
          refresh: true,
          fence: { head: entryHead(plan.entry) },
          tags: plan.tags,
        },
        0,
      );
      this.#timed(fullKey, performance.now() - loadStarted);
      succeeded = true;
      emit(context, 'refresh', fullKey, started);
      if (trace !== undefined) trace.outcome = 'refreshed';
      return value;
    } catch (error) {
      reportRefreshError(context, fullKey, error);
      if (trace !== undefined) trace.outcome = 'failed';
      return NOT_REFRESHED;
    } finally {
      if (lease !== undefined) await context.leases.release(fullKey, lease);
      this.#backoff.end(fullKey, succeeded, Date.now());
    }
  }

  /** How long a refresh lease on `fullKey` lasts, from the key's last loader time. */
  #leaseMs(fullKey: string): number {
    const loadMs = this.#loadMs.get(fullKey);
    if (loadMs === undefined) return FIRST_LEASE_MS;
    return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, Math.ceil(loadMs * LEASE_PER_LOAD)));
  }

  #timed(fullKey: string, loadMs: number): void {
    if (this.#loadMs.size >= MAX_TIMED_KEYS && !this.#loadMs.has(fullKey)) this.#loadMs.clear();
    this.#loadMs.set(fullKey, loadMs);
  }
}

function noop(): void {}
