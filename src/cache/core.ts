import type { BackgroundTasks } from './background.js';
import type { Entries } from './entries.js';
import type { CacheEvents, CacheEventType } from './events.js';
import type { GuardedStore } from './guarded-store.js';
import type { Leases } from './leases.js';
import type { ResolvedOptions } from './options.js';
import type { SingleFlight } from './single-flight.js';

/** The parts of a CacheService its helpers share. One per service instance. */
export interface CacheCore {
  readonly options: ResolvedOptions;
  readonly store: GuardedStore;
  readonly entries: Entries;
  readonly events: CacheEvents;
  readonly leases: Leases;
  readonly background: BackgroundTasks;
  /** Loaders running per key, including those still running after a soft timeout. */
  readonly loads: SingleFlight;
}

/** Starts a duration measurement; `undefined` when nobody listens (nothing is measured). */
export function startTimer(core: CacheCore): number | undefined {
  return core.events.listening ? performance.now() : undefined;
}

/** Emits an event about `key`, with the time since `started` when it was measured. */
export function emit(
  core: CacheCore,
  type: CacheEventType,
  key: string,
  started?: number,
  error?: unknown,
): void {
  const events = core.events;
  if (!events.listening) {
    events.count(type);
    return;
  }
  events.emit({
    type,
    key,
    store: core.store.name,
    durationMs: started === undefined ? undefined : performance.now() - started,
    error,
  });
}

/**
 * Logs `message` about `fullKey` at `level`, with the key and store as context, and emits
 * `type` with `error` when given. Messages name keys, never values.
 */
export function report(
  core: CacheCore,
  level: 'warn' | 'error',
  fullKey: string,
  message: string,
  type?: CacheEventType,
  error?: unknown,
): void {
  core.options.logger[level](message, { key: fullKey, store: core.store.name });
  if (type !== undefined) emit(core, type, fullKey, undefined, error);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms` milliseconds; rejects if it rejects in time. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
