import { BentoCache, bentostore } from 'bentocache';
import { dynamoDbDriver } from 'bentocache/drivers/dynamodb';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import type { Backend, Contender } from './types.js';

/** Memory: an L1 memory driver; Redis and DynamoDB: the driver as the only (L2) layer. */
function store(backend: Backend) {
  if (backend.kind === 'memory') return bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 }));
  if (backend.kind === 'redis') {
    const { hostname, port } = new URL(backend.url);
    return bentostore().useL2Layer(
      redisDriver({ connection: { host: hostname, port: Number(port) } }),
    );
  }
  return bentostore().useL2Layer(
    dynamoDbDriver({
      table: { name: backend.tableName },
      endpoint: backend.endpoint,
      region: 'eu-central-1',
    }),
  );
}

export function openBentocache(backend: Backend, prefix: string): Contender {
  const bento = new BentoCache({ default: 'cache', prefix, stores: { cache: store(backend) } });
  return {
    library: 'bentocache',
    get: (key) => bento.get({ key }),
    async set(key, value, ttlSec) {
      await bento.set({ key, value, ttl: ttlSec * 1000 });
    },
    // bentocache has no batch read.
    getMany: (keys) => Promise.all(keys.map((key) => bento.get({ key }))),
    wrap: (key, ttlSec, loader) => bento.getOrSet({ key, factory: loader, ttl: ttlSec * 1000 }),
    swr: (key, staleSec, maxSec, loader) =>
      bento.getOrSet({ key, factory: loader, ttl: staleSec * 1000, grace: maxSec * 1000 }),
    close: () => bento.disconnect(),
  };
}
