import type { CacheStore } from '../../stores/types.js';
import type { BackgroundTasks } from '../background.js';
import type { GuardedStore } from '../guarded-store.js';
import type { ResolvedOptions } from '../options.js';
import { BusLink } from './bus-link.js';
import { Copies } from './copies.js';
import { TieredStore } from './tiered-store.js';

/** Builds the tiered store of a service whose options have `l1`. */
export function createTier(
  store: CacheStore,
  guardOptions: ConstructorParameters<typeof GuardedStore>[1],
  options: ResolvedOptions,
  background: BackgroundTasks,
): TieredStore | undefined {
  const l1 = options.l1;
  if (l1 === undefined) return undefined;
  const copies = new Copies(l1.maxEntries, l1.maxAgeMs);
  const link =
    l1.bus === undefined
      ? undefined
      : new BusLink(l1.bus, options.keyPrefix, copies, options.logger, background);
  return new TieredStore(store, guardOptions, copies, link);
}
