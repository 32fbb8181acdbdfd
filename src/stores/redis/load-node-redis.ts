import { lazyPeer, member } from '../load-peer.js';

/** The two node-redis factories the store uses (`redis` 4 or 5). */
export interface NodeRedisModule {
  createClient: (options: object) => unknown;
  createCluster: (options: object) => unknown;
}

/**
 * Loads node-redis (the `redis` package) on first use, once per process, like
 * `loadIoredis`. Takes a replacement importer in tests.
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when `redis` is not installed or fails to load.
 */
export const loadNodeRedis = /* @__PURE__ */ lazyPeer<NodeRedisModule>({
  packageName: 'redis',
  storeClass: 'RedisCacheStore',
  storeName: 'redis',
  importer: () => import('redis'),
  pick: pickFactories,
  expected:
    "createClient and createCluster (RedisCacheStore's node-redis driver needs redis 4 or 5)",
});

/** Finds `createClient` and `createCluster` as named exports or on a `default` export (CommonJS from ESM). */
export function pickFactories(namespace: unknown): NodeRedisModule | undefined {
  for (const scope of [namespace, member(namespace, 'default')]) {
    const createClient = member(scope, 'createClient');
    const createCluster = member(scope, 'createCluster');
    if (typeof createClient === 'function' && typeof createCluster === 'function') {
      return { createClient, createCluster } as NodeRedisModule;
    }
  }
  return undefined;
}
