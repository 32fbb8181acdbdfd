import { type CacheStore, RedisCacheStore, type RedisCacheStoreOptions } from 'glasswork';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';

describe('RedisCacheStore options', () => {
  it('accepts each documented form', () => {
    expectTypeOf({ url: process.env.REDIS_URL! }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      url: 'rediss://cache:6380',
      password: 'p',
      commandTimeoutMs: 200,
    }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ host: '10.0.0.1', port: 6379, db: 2 }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ client: new Redis({ lazyConnect: true }) }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ client: new Cluster([7000]) }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      cluster: ['redis://10.0.0.1:6379', 7001, { host: '10.0.0.3', port: 6379 }],
      clusterOptions: { scaleReads: 'master' as const, redisOptions: { password: 'p' } },
      connectTimeoutMs: 1000,
    }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf(new RedisCacheStore({ url: 'redis://x' })).toExtend<CacheStore>();
    expectTypeOf({ url: 'redis://x', maxValueBytes: 1024 }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ cluster: [7000], maxValueBytes: 1024 }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      client: new Redis({ lazyConnect: true }),
      maxValueBytes: 1024,
    }).toExtend<RedisCacheStoreOptions>();
  });

  it('accepts node-redis clients and the node-redis form', () => {
    expectTypeOf({ client: createClient() }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ client: createClient({ RESP: 3 }) }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      client: createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }),
    }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      url: 'rediss://cache:6380',
      driver: 'node-redis' as const,
      commandTimeoutMs: 200,
    }).toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      cluster: ['redis://10.0.0.1:6379'],
      driver: 'node-redis' as const,
    }).toExtend<RedisCacheStoreOptions>();
    // A driver does not go with a client (ioredis options next to node-redis are refused at run time).
    expectTypeOf({
      client: createClient(),
      driver: 'node-redis' as const,
    }).not.toExtend<RedisCacheStoreOptions>();
    expectTypeOf({
      url: 'redis://x',
      driver: 'nodered' as const,
    }).not.toExtend<RedisCacheStoreOptions>();
  });

  it('refuses mixed forms, ioredis keyPrefix and the unit-less timeouts', () => {
    const client = new Redis({ lazyConnect: true });
    expectTypeOf({ client, url: 'redis://x' }).not.toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ client, commandTimeoutMs: 100 }).not.toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ cluster: [7000], url: 'redis://x' }).not.toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ url: 'redis://x', keyPrefix: 'app:' }).not.toExtend<RedisCacheStoreOptions>();
    expectTypeOf({ url: 'redis://x', commandTimeout: 100 }).not.toExtend<RedisCacheStoreOptions>();
  });
});
