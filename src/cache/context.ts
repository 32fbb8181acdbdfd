import type { BackgroundTasks } from './background.js';
import type { Entries } from './entries.js';
import type { CacheEvents } from './events.js';
import type { Flights } from './flights.js';
import type { GuardedStore } from './guarded-store.js';
import type { TieredStore } from './l1/tiered-store.js';
import type { Leases } from './leases.js';
import type { ResolvedOptions } from './options.js';
import type { TagState } from './tags/tag-state.js';

/**
 * What one CacheService's read-path steps share: its options, the guarded store and the
 * entries read through it, events, leases, background work and the work in flight per key.
 */
export interface CacheContext {
  readonly options: ResolvedOptions;
  readonly store: GuardedStore;
  readonly entries: Entries;
  readonly events: CacheEvents;
  readonly leases: Leases;
  readonly background: BackgroundTasks;
  readonly flights: Flights;
  /** Versions of tags and the clear() generation. */
  readonly tags: TagState;
  /** The guarded store again when it has an in-process tier (`l1`); `undefined` without. */
  readonly l1?: TieredStore | undefined;
}
