import type { Cluster, Redis } from 'ioredis';
import { lazyPeer, member } from '../load-peer.js';

/** The two ioredis classes the store uses. */
export interface IoredisModule {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

/**
 * Loads ioredis on first use, once per process (concurrent first calls share one import;
 * a failed one is tried again on the next use). Takes a replacement importer in tests.
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when ioredis is not installed or fails to load.
 */
export const loadIoredis = /* @__PURE__ */ lazyPeer<IoredisModule>({
  packageName: 'ioredis',
  storeClass: 'RedisCacheStore',
  storeName: 'redis',
  importer: () => import('ioredis'),
  pick: pickClasses,
  expected: 'Redis and Cluster classes (RedisCacheStore needs ioredis 5 or 6)',
});

/**
 * Finds the Redis and Cluster classes in whatever shape the module arrives: named exports
 * (ESM), a `default` export that is the Redis class carrying `Cluster` (CommonJS ioredis 5
 * and 6 seen from ESM), or both nested one level deeper (bundler interop).
 */
export function pickClasses(namespace: unknown): IoredisModule | undefined {
  const scopes = [namespace, member(namespace, 'default')];
  scopes.push(member(scopes[1], 'default'));
  let redis: unknown;
  let cluster: unknown;
  for (const scope of scopes) {
    redis ??= asClass(member(scope, 'Redis'));
    cluster ??= asClass(member(scope, 'Cluster'));
  }
  redis ??= asClass(scopes[1]);
  if (redis === undefined || cluster === undefined) return undefined;
  return { Redis: redis as typeof Redis, Cluster: cluster as typeof Cluster };
}

function asClass(value: unknown): unknown {
  return typeof value === 'function' ? value : undefined;
}
