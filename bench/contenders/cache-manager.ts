import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import type { Backend, Contender } from './types.js';

/** cache-manager 7: `createCache()` in memory, or on Redis through Keyv and @keyv/redis. */
export function openCacheManager(backend: Backend): Contender {
  if (backend.kind === 'dynamodb') throw new Error('cache-manager has no DynamoDB store');
  const cache = createCache(backend.kind === 'redis' ? { stores: [createKeyv(backend.url)] } : {});
  return {
    library: 'cache-manager',
    get: (key) => cache.get(key),
    async set(key, value, ttlSec) {
      await cache.set(key, value, ttlSec * 1000);
    },
    getMany: (keys) => cache.mget(keys),
    wrap: (key, ttlSec, loader) => cache.wrap(key, loader, ttlSec * 1000),
    swr: (key, staleSec, maxSec, loader) =>
      cache.wrap(key, loader, { ttl: maxSec * 1000, refreshThreshold: (maxSec - staleSec) * 1000 }),
    async close() {
      await cache.disconnect();
    },
  };
}
