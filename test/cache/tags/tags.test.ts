/**
 * Tags and clear() on every store (memory, Redis and a 3-master Redis Cluster on ioredis and
 * on node-redis, DynamoDB on dynalite), then what only a fake clock or one process shows: a 30-day entry whose tag
 * state outlives it, and the two-tier case (copies dropped through the bus).
 */
import {
  CacheService,
  DynamoDBCacheStore,
  MemoryCacheStore,
  RedisCacheStore,
  silentLogger,
} from 'glasswork';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';
import { MemoryBusHub } from '../../helpers/memory-bus.js';
import { clusterOptions, DRIVERS, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisClusterServers } from '../../helpers/redis-server.js';
import { tagSuite } from './tag-suite.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let dynamo: LocalDynamoDB;
let tableName: string;
let cluster: RedisClusterServers;
const redisStores: RedisCacheStore[] = [];

beforeAll(async () => {
  [dynamo, cluster] = await Promise.all([startDynalite(), RedisClusterServers.start(3)]);
  tableName = await dynamo.createTable('tags');
}, 60_000);
afterAll(async () => {
  await Promise.all(redisStores.map((store) => store.close()));
  await Promise.all([dynamo?.stop(), cluster?.stop()]);
});

const shared = new MemoryCacheStore();
tagSuite('memory', () => shared);
for (const driver of DRIVERS) {
  tagSuite(`Redis (${driver})`, () => {
    const store = new RedisCacheStore(urlOptions(driver, REDIS_URL));
    redisStores.push(store);
    return store;
  });
  tagSuite(`Redis Cluster, 3 masters (${driver})`, () => {
    const store = new RedisCacheStore(clusterOptions(driver, cluster.nodes));
    redisStores.push(store);
    return store;
  });
}
tagSuite('DynamoDB (dynalite)', () => new DynamoDBCacheStore({ client: dynamo.client, tableName }));

describe('tags on a fake clock (memory store)', () => {
  it('a 30-day entry: its tag state outlives it, and an invalidated entry never comes back', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    try {
      const store = new MemoryCacheStore();
      const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
      const day = 24 * 3600;
      await cache.set('month', 'kept', { ttl: 30 * day, tags: ['t'] });
      await cache.set('gone', 'invalidated', { ttl: 30 * day, tags: ['t2'] });
      await cache.invalidateTags(['t2']);
      for (const days of [1, 10, 11, 20, 29]) {
        vi.setSystemTime(new Date(Date.UTC(2026, 0, 1 + days)));
        expect(await cache.get('month')).toBe('kept');
        expect(await cache.has('month')).toBe(true);
        expect(await cache.get('gone')).toBeUndefined();
        expect(await cache.has('gone')).toBe(false);
      }
      await cache.invalidateTags(['t']);
      expect(await cache.get('month')).toBeUndefined();
      vi.setSystemTime(new Date(Date.UTC(2026, 0, 32)));
      expect(await cache.get('month')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a lost tag state reads as invalidated: its entries miss, never come back', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    await cache.set('k', 'v', { tags: ['t'] });
    expect(await cache.get('k')).toBe('v');
    await store.del('#glasswork:tag:t'); // evicted, or a pattern delete
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k2', 'v2', { tags: ['t'] }); // a new version is made for the tag
    expect(await cache.get('k2')).toBe('v2');
    expect(await cache.get('k')).toBeUndefined();
  });
});

describe('tags with an l1 tier', () => {
  it('an invalidation drops the copies of every instance through the bus', async () => {
    const store = new MemoryCacheStore();
    const hub = new MemoryBusHub();
    const open = () =>
      new CacheService(store, {
        defaultTTL: 60,
        keyPrefix: 'l1',
        logger: silentLogger,
        l1: { maxEntries: 100, maxAgeMs: 60_000, bus: hub.bus() },
      });
    const [a, b] = [open(), open()];
    await a.wrap('page', () => 'v1', { tags: ['catalog'] });
    expect(await b.wrap('page', () => 'other', { tags: ['catalog'] })).toBe('v1');
    expect(await b.wrap('page', () => 'other', { tags: ['catalog'] })).toBe('v1');
    expect(b.stats().l1Hits).toBeGreaterThan(0);
    expect(await a.invalidateTags(['catalog'])).toBe(true);
    // maxAgeMs is a minute: only the bus can have dropped b's copy of the version.
    await vi.waitFor(() => expect(b.stats().busMessages).toBeGreaterThan(0));
    expect(await b.get('page')).toBeUndefined();
    expect(await b.wrap('page', () => 'v2', { tags: ['catalog'] })).toBe('v2');
    expect(await a.get('page')).toBe('v2');
  });
});
