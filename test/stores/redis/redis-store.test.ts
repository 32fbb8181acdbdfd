import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  CacheArgumentError,
  CacheDependencyError,
  CacheService,
  escapeGlob,
  RedisCacheStore,
} from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIoredis, pickClasses } from '../../../src/stores/redis/load-ioredis.js';
import { toRedisMatch } from '../../../src/stores/redis/match-pattern.js';
import { closeClient, DRIVERS, makeClient, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisServer, redisCli } from '../../helpers/redis-server.js';
import { runFixture } from '../../helpers/run-fixture.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

for (const driver of DRIVERS) {
  runStoreConformance(`RedisCacheStore (${driver})`, {
    clock: 'real',
    createStore: () => new RedisCacheStore(urlOptions(driver, REDIS_URL)),
  });

  describe(`RedisCacheStore on one server (${driver})`, () => {
    const ns = `redis-store-test:${randomUUID()}`;
    let raw: Redis;
    let store: RedisCacheStore;

    beforeAll(async () => {
      raw = new Redis(REDIS_URL);
      store = new RedisCacheStore(urlOptions(driver, REDIS_URL));
    });
    afterAll(async () => {
      await store.close();
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await raw.scan(cursor, 'MATCH', `${escapeGlob(ns)}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      if (keys.length > 0) await raw.unlink(...keys);
      raw.disconnect();
    });

    it('runs the spec example verbatim through CacheService', async () => {
      process.env.REDIS_URL ??= REDIS_URL;
      const specStore =
        driver === 'ioredis'
          ? new RedisCacheStore({
              url: process.env.REDIS_URL!,
            })
          : new RedisCacheStore({ url: process.env.REDIS_URL!, driver: 'node-redis' });
      const cache = new CacheService(specStore, { defaultTTL: 300, keyPrefix: ns });
      await cache.set('user:123', { id: '123' });
      expect(await cache.get('user:123')).toEqual({ id: '123' });
      expect(await cache.wrap('user:456', 600, () => ({ id: '456' }))).toEqual({ id: '456' });
      expect(await cache.has('user:456')).toBe(true);
      expect(await cache.delByPattern('user:*')).toBe(2);
      expect(await cache.get('user:123')).toBeUndefined();
      await specStore.close();
    });

    it('sets a server-side TTL in milliseconds, not seconds', async () => {
      const key = `${ns}:ttl`;
      await store.set(key, 'x', 1500);
      const pttl = await raw.pttl(key);
      expect(pttl).toBeGreaterThan(1400);
      expect(pttl).toBeLessThanOrEqual(1500);
      expect(await store.setIfAbsent(`${key}:nx`, 'x', 2500)).toBe(true);
      const nxTtl = await raw.pttl(`${key}:nx`);
      expect(nxTtl).toBeGreaterThan(2400);
      expect(nxTtl).toBeLessThanOrEqual(2500);
      const cache = new CacheService(store, { defaultTTL: 90, keyPrefix: ns });
      await cache.set('seconds', 1);
      const serviceTtl = await raw.pttl(`${ns}:seconds`);
      expect(serviceTtl).toBeGreaterThan(89_900);
      expect(serviceTtl).toBeLessThanOrEqual(90_000);
    });

    it('round-trips every JavaScript string, lone surrogates included', async () => {
      const codeUnits = fc
        .integer({ min: 0, max: 0xffff })
        .map((unit) => String.fromCharCode(unit));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ unit: codeUnits }), fc.string({ unit: 'binary' })),
          async (payload) => {
            const key = `${ns}:payload`;
            await store.set(key, payload, 60_000);
            expect(await store.get(key)).toBe(payload);
          },
        ),
        { numRuns: 200 },
      );
      // Well-formed payloads are plain UTF-8 for other readers.
      await store.set(`${ns}:utf8`, 'ünï 🚀', 60_000);
      expect(await raw.get(`${ns}:utf8`)).toBe('ünï 🚀');
    });

    it('refuses keys and patterns that are not well-formed Unicode', async () => {
      await expect(store.get(`${ns}:\uD800`)).rejects.toMatchObject({ code: 'E_INVALID_KEY' });
      await expect(store.set(`${ns}:\uDC00`, 'x', 1000)).rejects.toBeInstanceOf(CacheArgumentError);
      await expect(store.delByPattern(`${ns}:\uD800*`)).rejects.toMatchObject({
        code: 'E_INVALID_PATTERN',
      });
    });

    it('matches ? against one code point, however many bytes it takes', async () => {
      const base = `${ns}:cp`;
      for (const suffix of ['a🚀b', 'aéb', 'axb', 'a🚀🚀b', 'ab', 'a\u0000b']) {
        await store.set(`${base}:${suffix}`, suffix, 60_000);
      }
      expect(await store.delByPattern(`${escapeGlob(base)}:a?b`)).toBe(4);
      expect(await store.get(`${base}:a🚀🚀b`)).toBe('a🚀🚀b');
      expect(await store.get(`${base}:ab`)).toBe('ab');
      expect(await store.delByPattern(`${escapeGlob(base)}:a??b`)).toBe(1);
    });

    it('opens one connection for many concurrent first calls', async () => {
      const name = `gw-test-${randomUUID().slice(0, 8)}`;
      const fresh = new RedisCacheStore(
        driver === 'ioredis'
          ? { url: REDIS_URL, connectionName: name }
          : // A node-redis client passed in unconnected is connected on first use, once.
            { client: createClient({ url: REDIS_URL, name }) },
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => fresh.get(`${ns}:concurrent:${i}`)),
      );
      expect(results).toEqual(Array(20).fill(undefined));
      const clients = (await raw.client('LIST')) as string;
      expect(clients.split('\n').filter((line) => line.includes(`name=${name} `))).toHaveLength(1);
      await fresh.close();
    });

    it('connects ahead of first use when asked', async () => {
      const name = `gw-test-${randomUUID().slice(0, 8)}`;
      const nodeRedisClient = createClient({ url: REDIS_URL, name });
      const eager = new RedisCacheStore(
        driver === 'ioredis'
          ? { url: REDIS_URL, connectionName: name }
          : { client: nodeRedisClient },
      );
      await eager.connect();
      expect(String(await raw.client('LIST'))).toContain(`name=${name} `);
      await eager.close();
      if (nodeRedisClient.isOpen) nodeRedisClient.destroy();
      const unreachable = new RedisCacheStore(urlOptions(driver, 'redis://127.0.0.1:1'));
      await expect(unreachable.connect()).rejects.toMatchObject({
        code: 'E_STORE_UNAVAILABLE',
        store: 'redis',
      });
      await unreachable.close();
    });

    it('uses an injected client and leaves it open', async () => {
      const client = makeClient(driver, REDIS_URL);
      const injected = new RedisCacheStore({ client });
      await injected.set(`${ns}:injected`, 'v', 60_000);
      expect(await injected.get(`${ns}:injected`)).toBe('v');
      await injected.close();
      expect(await raw.get(`${ns}:injected`)).toBe('v');
      expect(await (client as { ping(): Promise<string> }).ping()).toBe('PONG');
      await expect(injected.get(`${ns}:injected`)).rejects.toMatchObject({
        code: 'E_STORE_CLOSED',
      });
      await closeClient(client);
    });

    it('releases with a plain UNLINK where an ACL refuses EVAL', async () => {
      const server = await RedisServer.start();
      try {
        await redisCli(
          server.port,
          'ACL',
          'SETUSER',
          'noeval',
          'on',
          'nopass',
          '~*',
          '+@all',
          '-eval',
        );
        const limited = new RedisCacheStore(
          urlOptions(driver, `redis://noeval:any@127.0.0.1:${server.port}`),
        );
        await limited.set('lease', 'token', 60_000);
        expect(await limited.delIfEquals('lease', 'token')).toBe(true);
        expect(await limited.has('lease')).toBe(false);
        // From then on it deletes outright, as for a store without delIfEquals.
        await limited.set('lease', 'another holder', 60_000);
        expect(await limited.delIfEquals('lease', 'token')).toBe(true);
        await limited.close();
      } finally {
        await server.stop();
      }
    });

    it('rejects every call after close() with E_STORE_CLOSED', async () => {
      const closing = new RedisCacheStore(urlOptions(driver, REDIS_URL));
      await closing.set(`${ns}:closing`, 'v', 60_000);
      await closing.onModuleDestroy();
      await closing.close();
      for (const call of [
        () => closing.get(`${ns}:closing`),
        () => closing.set(`${ns}:closing`, 'v', 1000),
        () => closing.del(`${ns}:closing`),
        () => closing.delByPattern(`${ns}:*`),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'E_STORE_CLOSED', store: 'redis' });
      }
      const unused = new RedisCacheStore(urlOptions(driver, REDIS_URL));
      await unused.close();
      await expect(unused.has('k')).rejects.toMatchObject({ code: 'E_STORE_CLOSED' });
    });
  });
}

describe('RedisCacheStore options', () => {
  it("refuses ioredis's keyPrefix in every form, pointing to CacheService", () => {
    const forms = [
      () => new RedisCacheStore({ url: REDIS_URL, keyPrefix: 'app:' } as never),
      () => new RedisCacheStore({ client: new Redis({ lazyConnect: true, keyPrefix: 'app:' }) }),
      () =>
        new RedisCacheStore({ cluster: [7000], clusterOptions: { keyPrefix: 'app:' } } as never),
      () =>
        new RedisCacheStore({
          cluster: [7000],
          clusterOptions: { redisOptions: { keyPrefix: 'app:' } },
        } as never),
    ];
    for (const form of forms) {
      expect(form).toThrow(/keyPrefix.*not supported.*CacheService.*got "app:"/);
      expect(form).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
    }
  });

  it('throws at construction for bad options, naming the option and the value', () => {
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /options must be an object.*got undefined/],
      [{ url: undefined }, /url must be a redis:\/\/ or rediss:\/\/ URL, got undefined/],
      [{ url: 'http://x' }, /url must be .*got "http:\/\/x"/],
      [{ url: 'redis//:secret@host' }, /got "redis\/\/\*\*\*@host"/],
      [{ url: 'mysql://user:secret@host' }, /got "mysql:\/\/\*\*\*@host"/],
      [{ url: REDIS_URL, commandTimeoutMs: 0 }, /commandTimeoutMs must be a positive whole/],
      [{ url: REDIS_URL, connectTimeoutMs: 1.5 }, /connectTimeoutMs must be .*got 1.5/],
      [
        { url: REDIS_URL, commandTimeout: 100 },
        /commandTimeout is not accepted: use commandTimeoutMs/,
      ],
      [
        { client: {} },
        /client must be an ioredis Redis or Cluster, or a node-redis createClient\(\) or createCluster\(\) client, got an object/,
      ],
      [{ cluster: [] }, /cluster must be a non-empty array of startup nodes/],
      [
        { url: REDIS_URL, cluster: [7000] },
        /pass one of client, cluster or url, got cluster and url/,
      ],
    ];
    for (const [options, message] of cases) {
      expect(() => new RedisCacheStore(options as never)).toThrow(message);
    }
    const client = new Redis({ lazyConnect: true });
    expect(() => new RedisCacheStore({ client, commandTimeoutMs: 5 } as never)).toThrow(
      /commandTimeoutMs applies only to connections the store creates/,
    );
  });
});

describe('loading ioredis', () => {
  it('says what to install when ioredis is missing, keeping the cause', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadIoredis(() => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheDependencyError);
    expect(error).toMatchObject({ code: 'E_MISSING_DEPENDENCY', cause: missing });
    expect((error as Error).message).toContain('npm install ioredis');
  });

  it('logs a missing ioredis once, at error level, then fails open quietly', async () => {
    const { result } = await runFixture('redis-missing-ioredis.mjs');
    expect(result).toMatchObject({
      wrapped: 'computed',
      read: null,
      error: { name: 'CacheDependencyError', code: 'E_MISSING_DEPENDENCY' },
      causeCode: 'ERR_MODULE_NOT_FOUND',
      connectError: { code: 'E_MISSING_DEPENDENCY' },
    });
    expect((result.error as Error).message).toBe(
      'RedisCacheStore needs the optional peer dependency ioredis, which is not installed: npm install ioredis',
    );
    // wrap reads and writes, get reads, the generation is read: four absorbed failures, one log line.
    expect(result.errors).toBe(4);
    expect(result.logged).toEqual([
      {
        level: 'error',
        message:
          'store "redis" cannot load its client, so every cache call runs without the cache (logged once; each call still emits an "error" event): RedisCacheStore needs the optional peer dependency ioredis, which is not installed: npm install ioredis. Call await store.connect() in the init phase to fail there instead',
      },
    ]);
  });

  it('finds Redis and Cluster in every export shape', async () => {
    class Redis5 {}
    class Cluster5 {}
    const commonJs = Object.assign(Redis5, { Redis: Redis5, Cluster: Cluster5, default: Redis5 });
    const shapes = [
      { Redis: Redis5, Cluster: Cluster5 }, // ESM, named only
      { default: commonJs }, // CommonJS seen from ESM, no named exports detected
      { default: { default: commonJs } }, // double interop wrapping
      { default: Object.assign(class {}, { Cluster: Cluster5 }), Redis: Redis5 },
    ];
    for (const shape of shapes) {
      const classes = pickClasses(shape);
      expect(classes?.Cluster).toBe(Cluster5);
      expect(typeof classes?.Redis).toBe('function');
    }
    expect(pickClasses({ default: class Lone {} })).toBeUndefined();
    const installed = await loadIoredis();
    expect(installed.Redis).toBe(Redis);
  });

  it('translates patterns into a Redis MATCH that escapes its specials', () => {
    expect(toRedisMatch('app\\:x:*')).toEqual({ match: 'app:x:*', exact: true });
    expect(toRedisMatch('a[b]\\*c\\?d\\\\e*')).toEqual({
      match: 'a\\[b\\]\\*c\\?d\\\\e*',
      exact: true,
    });
    expect(toRedisMatch('user:?')).toEqual({ match: 'user:*', exact: false });
  });
});
