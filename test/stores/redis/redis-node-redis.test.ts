/**
 * What is particular to node-redis: the options of `driver: 'node-redis'`, the injected
 * clients the store refuses or accepts (RESP3 and type mappings, node-redis 4's legacy
 * mode), loading the `redis` package, and node-redis 4 (installed under the alias
 * `redis4`) through the conformance suite, single server and Cluster.
 */
import { randomUUID } from 'node:crypto';
import {
  CacheDependencyError,
  CacheService,
  RedisCacheStore,
  type RedisCacheStoreOptions,
  silentLogger,
} from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { createClient, RESP_TYPES } from 'redis';
import { createClient as createClient4, createCluster as createCluster4 } from 'redis4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeRedis, pickFactories } from '../../../src/stores/redis/load-node-redis.js';
import { RedisClusterServers } from '../../helpers/redis-server.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The declarations come from node-redis 5 here; a project on node-redis 4 sees its own types. */
const asClient = (client: unknown) =>
  client as Extract<RedisCacheStoreOptions, { client: unknown }>['client'];

describe('RedisCacheStore options with driver: node-redis', () => {
  it('refuses a driver it does not know, and ioredis options next to node-redis', () => {
    const cases: Array<[object, RegExp]> = [
      [
        { url: REDIS_URL, driver: 'node_redis' },
        /driver must be 'ioredis' or 'node-redis', got "node_redis"/,
      ],
      [
        { url: REDIS_URL, driver: 'node-redis', tls: {} },
        /^unknown key "tls" in RedisCacheStore options \(\{ driver: 'node-redis' \}\); expected driver, url, cluster, commandTimeoutMs, connectTimeoutMs, maxValueBytes \(for other node-redis options, pass a client you created \(\{ client \}\)\)$/,
      ],
      [{ driver: 'node-redis' }, /url must be a redis:\/\/ or rediss:\/\/ URL/],
      [{ cluster: ['http://x'], driver: 'node-redis' }, /url must be a redis:\/\/ or rediss:\/\//],
      [{ cluster: [7000], driver: 'node-redis' }, /url must be a redis:\/\/ or rediss:\/\//],
      [
        { url: REDIS_URL, driver: 'node-redis', commandTimeoutMs: 2 ** 31 },
        /commandTimeoutMs must be/,
      ],
      [{ client: createClient(), driver: 'node-redis' }, /unknown key "driver"|driver/],
    ];
    for (const [options, message] of cases) {
      expect(() => new RedisCacheStore(options as never)).toThrow(message);
      expect(() => new RedisCacheStore(options as never)).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION' }),
      );
    }
  });

  it("refuses node-redis 4's legacyMode, whose commands take callbacks", () => {
    const legacy = createClient4({ url: REDIS_URL, legacyMode: true });
    expect(() => new RedisCacheStore({ client: asClient(legacy) })).toThrow(
      /node-redis client in legacyMode/,
    );
  });

  it('reads its own reply types from a RESP3 client with a type mapping', async () => {
    const client = createClient({
      url: REDIS_URL,
      RESP: 3,
      commandOptions: {
        typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.NUMBER]: String },
      },
    });
    const store = new RedisCacheStore({ client });
    const ns = `resp3:${randomUUID()}`;
    await store.set(`${ns}:a`, 'ünï 🚀', 60_000);
    expect(await store.get(`${ns}:a`)).toBe('ünï 🚀');
    expect(await store.setIfAbsent(`${ns}:a`, 'x', 60_000)).toBe(false);
    expect(await store.has(`${ns}:a`)).toBe(true);
    expect(await store.getMany([`${ns}:a`, `${ns}:b`])).toEqual(['ünï 🚀', undefined]);
    expect(await store.delByPattern(`${ns}:*`)).toBe(1);
    expect(await store.del(`${ns}:a`)).toBe(false);
    await store.close();
    expect(client.isOpen).toBe(true);
    client.destroy();
  });
});

describe('an injected node-redis client that cannot connect', () => {
  it('fails open within the service bound, and leaves the client to the caller', async () => {
    const client = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: 100 } });
    client.on('error', () => {});
    const store = new RedisCacheStore({ client });
    const cache = new CacheService(store, {
      defaultTTL: 60,
      storeTimeoutMs: 300,
      logger: silentLogger,
    });
    const started = performance.now();
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.wrap('k', () => 'computed')).toBe('computed');
    expect(performance.now() - started).toBeLessThan(1500);
    await store.close();
    expect(client.isOpen).toBe(true);
    client.destroy();
  });
});

describe('loading node-redis', () => {
  it('says what to install when redis is missing, keeping the cause', async () => {
    const missing = Object.assign(new Error("Cannot find package 'redis'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadNodeRedis(() => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheDependencyError);
    expect(error).toMatchObject({ code: 'E_MISSING_DEPENDENCY', cause: missing });
    expect((error as Error).message).toBe(
      'RedisCacheStore needs the optional peer dependency redis, which is not installed: npm install redis',
    );
  });

  it('finds createClient and createCluster as named exports or on a default export', async () => {
    const factories = { createClient: () => 1, createCluster: () => 2 };
    expect(pickFactories(factories)?.createCluster).toBe(factories.createCluster);
    expect(pickFactories({ default: factories })?.createClient).toBe(factories.createClient);
    expect(pickFactories({ createClient: () => 1 })).toBeUndefined();
    expect((await loadNodeRedis()).createClient).toBe(createClient);
  });
});

runStoreConformance('RedisCacheStore on a node-redis 4 client', {
  clock: 'real',
  createStore: () => new RedisCacheStore({ client: asClient(createClient4({ url: REDIS_URL })) }),
});

describe('RedisCacheStore on a node-redis 4 Cluster', () => {
  let servers: RedisClusterServers;
  let cluster: ReturnType<typeof createCluster4>;
  beforeAll(async () => {
    servers = await RedisClusterServers.start(3);
    cluster = createCluster4({
      rootNodes: servers.nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    });
  }, 60_000);
  afterAll(async () => {
    if (cluster?.isOpen) await cluster.disconnect();
    await servers?.stop();
  });

  it('stores, reads, reads in batches and deletes by pattern across masters', async () => {
    const store = new RedisCacheStore({ client: asClient(cluster) });
    const keys = Array.from({ length: 200 }, (_, i) => `v4:${i}`);
    await store.setMany(keys.map((key) => ({ key, payload: key, ttlMs: 60_000 })));
    expect(await store.get('v4:7')).toBe('v4:7');
    expect(await store.getMany(['v4:1', 'v4:2', 'absent'])).toEqual(['v4:1', 'v4:2', undefined]);
    expect(await store.delByPattern('v4:*')).toBe(200);
    expect(await store.get('v4:7')).toBeUndefined();
  });
});
