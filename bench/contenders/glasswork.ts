import {
  CacheService,
  type CacheStore,
  DynamoDBCacheStore,
  MemoryCacheStore,
  RedisCacheStore,
  silentLogger,
} from 'glasswork';
import type { Backend, Contender } from './types.js';

function openStore(backend: Backend): CacheStore {
  if (backend.kind === 'memory') return new MemoryCacheStore();
  if (backend.kind === 'redis') {
    return backend.driver === 'node-redis'
      ? new RedisCacheStore({ url: backend.url, driver: 'node-redis' })
      : new RedisCacheStore({ url: backend.url, ...backend.ioredis });
  }
  return new DynamoDBCacheStore({
    tableName: backend.tableName,
    endpoint: backend.endpoint,
    region: 'eu-central-1',
  });
}

/** glasswork's documented set-up: `CacheService` (default options) on the backend's store. */
export function openGlasswork(backend: Backend, prefix: string): Contender {
  const store = openStore(backend);
  const cache = new CacheService(store, {
    defaultTTL: 60,
    keyPrefix: prefix,
    logger: silentLogger,
  });
  return {
    library: 'glasswork',
    get: (key) => cache.get(key),
    set: (key, value, ttlSec) => cache.set(key, value, ttlSec),
    getMany: (keys) => cache.getMany(keys),
    wrap: (key, ttlSec, loader) => cache.wrap(key, ttlSec, loader),
    swr: (key, staleSec, maxSec, loader) => cache.wrapSWR(key, staleSec, maxSec, loader),
    async close() {
      await cache.drain(5000);
      await store.close?.();
    },
  };
}
