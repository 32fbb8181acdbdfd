/**
 * Redis batches: one round trip on a server, one per master on a Cluster (never CROSSSLOT),
 * `maxValueBytes` honoured per value on reads and writes. Round trips are counted on the
 * servers themselves: `total_reads_processed` grows by one per request the server reads.
 */

import { createHash } from 'node:crypto';
import { CacheLimitError, CacheService, RedisCacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_BOUNDED, READ_BOUNDED_SHA } from '../../../src/stores/redis/batch.js';
import { clusterOptions, DRIVERS, type Driver, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisClusterServers, RedisServer } from '../../helpers/redis-server.js';

/** Requests read by a server so far (the INFO asking counts one). */
async function readsProcessed(observer: Redis): Promise<number> {
  const stats = await observer.info('stats');
  return Number(/total_reads_processed:(\d+)/.exec(stats)?.[1]);
}

/** Round trips `work` makes to each server, by the servers' own counters. */
async function roundTrips(observers: Redis[], work: () => Promise<unknown>): Promise<number[]> {
  const before = await Promise.all(observers.map(readsProcessed));
  await work();
  const after = await Promise.all(observers.map(readsProcessed));
  // Each server also read the `after` INFO itself.
  return after.map((count, i) => count - before[i]! - 1);
}

/**
 * Checks round trips per server. node-redis writes a batch in one corked socket write, but
 * on this busy 2-core machine a server sometimes reads it in two: allow one more read there.
 */
function tripsChecker(driver: Driver) {
  return (counts: number[], expected: number[]) => {
    if (driver === 'ioredis') expect(counts).toEqual(expected);
    else {
      counts.forEach((count, i) => {
        expect(count).toBeOneOf([expected[i]!, expected[i]! + 1]);
      });
    }
  };
}

it('names the bounded-read script by its SHA-1, written out in the source', () => {
  expect(createHash('sha1').update(READ_BOUNDED).digest('hex')).toBe(READ_BOUNDED_SHA);
});

for (const driver of DRIVERS) {
  const expectTrips = tripsChecker(driver);
  describe(`RedisCacheStore batches on a single server (${driver})`, () => {
    let server: RedisServer;
    let raw: Redis;
    let store: RedisCacheStore;

    beforeAll(async () => {
      server = await RedisServer.start();
      raw = new Redis(server.url);
      store = new RedisCacheStore(urlOptions(driver, server.url, { maxValueBytes: 1024 }));
      await store.connect();
    });
    afterAll(async () => {
      await store?.close();
      raw?.disconnect();
      await server?.stop();
    });

    it('reads, writes and deletes 100 keys in one round trip each', async () => {
      const keys = Array.from({ length: 100 }, (_, i) => `one:${i}`);
      const entries = keys.map((key, i) => ({ key, payload: `v${i}`, ttlMs: 60_000 }));
      expectTrips(await roundTrips([raw], () => store.setMany(entries)), [1]);
      // The first read loads the script (EVALSHA answers NOSCRIPT, then EVAL): two round trips.
      expectTrips(await roundTrips([raw], () => store.getMany(keys)), [2]);
      let values: unknown;
      expectTrips(
        await roundTrips([raw], async () => {
          values = await store.getMany(keys);
        }),
        [1],
      );
      expect(values).toEqual(entries.map((entry) => entry.payload));
      expectTrips(await roundTrips([raw], () => store.delMany(keys)), [1]);
      expect(await raw.exists(...keys)).toBe(0);
    });

    it('sets the server-side TTL in milliseconds', async () => {
      await store.setMany([
        { key: 'ttl:a', payload: 'a', ttlMs: 1500 },
        { key: 'ttl:b', payload: 'b', ttlMs: 90_000 },
      ]);
      const [a, b] = [await raw.pttl('ttl:a'), await raw.pttl('ttl:b')];
      expect(a).toBeGreaterThan(1000);
      expect(a).toBeLessThanOrEqual(1500);
      expect(b).toBeGreaterThan(89_000);
      expect(b).toBeLessThanOrEqual(90_000);
    });

    it('reads a foreign value over maxValueBytes as a miss of that key alone', async () => {
      await raw.set('big:1', 'x'.repeat(1025));
      await raw.set('fits:1', 'y'.repeat(1024));
      await raw.hset('hash:1', 'f', 'v');
      expect(await store.getMany(['big:1', 'fits:1', 'hash:1', 'absent:1'])).toEqual([
        undefined,
        'y'.repeat(1024),
        undefined,
        undefined,
      ]);
    });

    it('refuses an entry over maxValueBytes before sending any', async () => {
      const writes = store.setMany([
        { key: 'refused:small', payload: 'ok', ttlMs: 60_000 },
        { key: 'refused:big', payload: 'z'.repeat(1025), ttlMs: 60_000 },
      ]);
      await expect(writes).rejects.toBeInstanceOf(CacheLimitError);
      await expect(writes).rejects.toMatchObject({ code: 'E_VALUE_TOO_LARGE', key: 'refused:big' });
      expect(await raw.exists('refused:small')).toBe(0);
    });

    it('round-trips payloads UTF-8 cannot hold, like single-key calls', async () => {
      const payloads = ['', 'lone \ud800 surrogate', 'ünïcödé 🚀'];
      const keys = payloads.map((_, i) => `utf16:${i}`);
      await store.setMany(keys.map((key, i) => ({ key, payload: payloads[i]!, ttlMs: 60_000 })));
      expect(await store.getMany(keys)).toEqual(payloads);
      expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(payloads);
    });

    it('reads with a GETRANGE pipeline where the server refuses scripts, still bounded', async () => {
      await raw.acl('SETUSER', 'noscripts', 'on', 'nopass', '~*', '+@all', '-@scripting');
      const limited = new RedisCacheStore(
        urlOptions(driver, `redis://noscripts:any@127.0.0.1:${server.port}`, {
          maxValueBytes: 1024,
        }),
      );
      try {
        await raw.set('refusal:big', 'x'.repeat(1025));
        await limited.set('refusal:small', 'small', 60_000);
        for (let round = 0; round < 2; round++) {
          expect(await limited.getMany(['refusal:small', 'refusal:big', 'refusal:absent'])).toEqual(
            ['small', undefined, undefined],
          );
        }
      } finally {
        await limited.close();
      }
    });

    it('refuses keys with lone surrogates', async () => {
      await expect(store.getMany(['ok', 'bad\ud800'])).rejects.toMatchObject({
        code: 'E_INVALID_KEY',
      });
    });
  });

  describe(`RedisCacheStore batches on a 3-master Cluster (${driver})`, () => {
    let servers: RedisClusterServers;
    let store: RedisCacheStore;
    let observers: Redis[];

    beforeAll(async () => {
      servers = await RedisClusterServers.start(3);
      store = new RedisCacheStore(clusterOptions(driver, servers.nodes));
      await store.connect();
      observers = servers.servers.map((server) => new Redis(server.url));
    });
    afterAll(async () => {
      for (const observer of observers ?? []) observer.disconnect();
      await store?.close();
      await servers?.stop();
    });

    it('makes one round trip per master, never a CROSSSLOT error', async () => {
      const keys = Array.from({ length: 300 }, (_, i) => `spread:${i}`);
      const entries = keys.map((key, i) => ({ key, payload: `v${i}`, ttlMs: 60_000 }));
      // The clients open their connections to the other masters on first use (and ready them).
      await store.getMany(keys);
      expectTrips(await roundTrips(observers, () => store.setMany(entries)), [1, 1, 1]);
      let values: unknown;
      expectTrips(
        await roundTrips(observers, async () => {
          values = await store.getMany(keys);
        }),
        [1, 1, 1],
      );
      expect(values).toEqual(entries.map((entry) => entry.payload));
      let removed: unknown;
      expectTrips(
        await roundTrips(observers, async () => {
          removed = await store.delMany(keys);
        }),
        [1, 1, 1],
      );
      expect(removed).toBe(300);
      expect(await store.getMany(keys.slice(0, 5))).toEqual(Array(5).fill(undefined));
    });

    it('serves a CacheService wrapMany across slots', async () => {
      const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
      const keys = Array.from({ length: 50 }, (_, i) => `svc:${i}`);
      const load = (missing: string[]) => missing.map((key) => ({ key }));
      expect(await cache.wrapMany(keys, load)).toEqual(keys.map((key) => ({ key })));
      expect(await cache.getMany(keys)).toEqual(keys.map((key) => ({ key })));
      expect(await cache.delMany(keys)).toBe(50);
    });
  });
}
