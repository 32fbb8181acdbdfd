/**
 * The project installs ioredis 5 (what peers such as bentocache declare) as `ioredis` and
 * ioredis 6 under the alias `ioredis6`. The store's own lazy import gets 5; this suite runs
 * the conformance suite on clients made by ioredis 6, single server and Cluster.
 */
import { RedisCacheStore, type RedisCacheStoreOptions } from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { Cluster, Redis } from 'ioredis6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClusterServers } from '../../helpers/redis-server.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('ioredis 6', () => {
  it('is the version under the alias', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    expect(require('ioredis6/package.json').version).toMatch(/^6\./);
    expect(require('ioredis/package.json').version).toMatch(/^5\./);
  });
});

/** The declarations come from ioredis 5 here; a project on ioredis 6 sees its own types. */
const asClient = (client: Redis | Cluster) =>
  client as unknown as Extract<RedisCacheStoreOptions, { client: unknown }>['client'];

runStoreConformance('RedisCacheStore on an ioredis 6 client', {
  clock: 'real',
  createStore: () => new RedisCacheStore({ client: asClient(new Redis(REDIS_URL)) }),
});

describe('RedisCacheStore on an ioredis 6 Cluster', () => {
  let servers: RedisClusterServers;
  let cluster: Cluster;
  beforeAll(async () => {
    servers = await RedisClusterServers.start(3);
    cluster = new Cluster(servers.nodes);
  }, 60_000);
  afterAll(async () => {
    cluster?.disconnect();
    await servers?.stop();
  });

  it('stores, reads and deletes by pattern across masters', async () => {
    const store = new RedisCacheStore({ client: asClient(cluster) });
    const keys = Array.from({ length: 200 }, (_, i) => `v6:${i}`);
    await Promise.all(keys.map((key) => store.set(key, key, 60_000)));
    expect(await store.get('v6:7')).toBe('v6:7');
    expect(await store.delByPattern('v6:*')).toBe(200);
    expect(await store.get('v6:7')).toBeUndefined();
  });
});
