import { callUserCode } from '../shared/user-code.js';

/** The kinds of {@link CacheEvent}. */
export type CacheEventType =
  | 'hit'
  | 'miss'
  | 'stale'
  | 'set'
  | 'del'
  | 'refresh'
  | 'refresh-error'
  | 'error'
  | 'lock-wait';

/**
 * Something the cache did, for metrics and tracing. Carries keys and timings, never values.
 *
 * - `hit` / `miss` / `stale`: a read found a fresh entry, nothing, or a stale entry served
 *   while it refreshes (or, with `staleIfError`, served because the loader failed).
 * - `set` / `del`: an entry was written or removed.
 * - `refresh` / `refresh-error`: a stale-while-revalidate refresh finished or failed.
 * - `error`: a store call failed (the cache failed open) or a value could not be cached.
 * - `lock-wait`: a `wrap` waited for another instance to compute the value.
 */
export interface CacheEvent {
  type: CacheEventType;
  /** The full (prefixed) key, or the pattern for `del` by pattern. */
  key: string;
  /** The store's name. */
  store: string;
  /** How long the operation took, in milliseconds, where it has a duration. */
  durationMs?: number;
  /** What went wrong, for `error` and `refresh-error`. */
  error?: unknown;
  /**
   * For `hit` and `stale`: whether the in-process tier (`l1`) or the store answered the
   * read. Always `store` without `l1`.
   */
  tier?: 'l1' | 'store';
}

/**
 * Counters of the events a CacheService emitted since it was created, and gauges of the
 * work it has in progress now.
 */
export interface CacheStats {
  hits: number;
  misses: number;
  stales: number;
  sets: number;
  dels: number;
  refreshes: number;
  refreshErrors: number;
  errors: number;
  lockWaits: number;
  /** Keys with a `wrap`/`wrapSWR` computation in progress (gauge). */
  inFlight: number;
  /** Background refreshes and loaders still running, what `drain()` waits for (gauge). */
  background: number;
  /** Leases this instance holds in the store (gauge). */
  leasesHeld: number;
  /** Reads the in-process tier answered without the store (fresh or stale); 0 without `l1`. */
  l1Hits: number;
  /** Copies the in-process tier holds now (gauge). */
  l1Entries: number;
  /** Invalidation messages from other instances applied to the in-process tier. */
  busMessages: number;
  /** Invalidation bus publishes that failed or timed out, and subscriptions that failed. */
  busErrors: number;
}

/** The counters part of {@link CacheStats}. */
type Counters = Omit<
  CacheStats,
  'inFlight' | 'background' | 'leasesHeld' | 'l1Hits' | 'l1Entries' | 'busMessages' | 'busErrors'
>;

/**
 * Receives cache events. A listener that throws or returns a rejected promise never breaks
 * the cache call; the failure is reported to the console at most once a minute.
 */
export type CacheEventListener = (event: CacheEvent) => void;

const STAT_OF: Record<CacheEventType, keyof Counters> = {
  hit: 'hits',
  miss: 'misses',
  stale: 'stales',
  set: 'sets',
  del: 'dels',
  refresh: 'refreshes',
  'refresh-error': 'refreshErrors',
  error: 'errors',
  'lock-wait': 'lockWaits',
};

/**
 * Counts events and hands them to listeners. Callers measure durations only while
 * {@link CacheEvents.listening}, so an unobserved cache pays for counters alone.
 */
export class CacheEvents {
  readonly #stats: Counters = {
    hits: 0,
    misses: 0,
    stales: 0,
    sets: 0,
    dels: 0,
    refreshes: 0,
    refreshErrors: 0,
    errors: 0,
    lockWaits: 0,
  };
  readonly #listeners = new Map<CacheEventType | '*', Set<CacheEventListener>>();
  #count = 0;

  /** Whether any listener is registered (then durations are measured). */
  get listening(): boolean {
    return this.#count > 0;
  }

  /** Registers `listener` for one event type, or `'*'` for all; returns the unsubscribe function. */
  on(type: CacheEventType | '*', listener: CacheEventListener): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    if (!set.has(listener)) {
      set.add(listener);
      this.#count++;
    }
    return () => {
      if (set.delete(listener)) this.#count--;
    };
  }

  /** Counts an event nobody listens to, without building it. */
  count(type: CacheEventType): void {
    this.#stats[STAT_OF[type]]++;
  }

  /** Counts `event` and delivers it to its listeners. */
  emit(event: CacheEvent): void {
    this.#stats[STAT_OF[event.type]]++;
    if (this.#count === 0) return;
    for (const type of [event.type, '*'] as const) {
      const set = this.#listeners.get(type);
      if (set === undefined) continue;
      for (const listener of set) {
        callUserCode('cache event listener', () => listener(event));
      }
    }
  }

  /** A copy of the counters. */
  counters(): Counters {
    return { ...this.#stats };
  }
}
