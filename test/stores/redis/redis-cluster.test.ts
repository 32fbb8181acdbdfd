import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { CacheService, RedisCacheStore } from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../../src/stores/redis/key-slot.js';
import { recordingLogger } from '../../helpers/recording-logger.js';
import {
  closeClient,
  clusterOptions,
  DRIVERS,
  isConnected,
  makeCluster,
} from '../../helpers/redis-drivers.js';
import { RedisClusterServers, redisCli } from '../../helpers/redis-server.js';
import { runFixture } from '../../helpers/run-fixture.js';

let servers: RedisClusterServers;

beforeAll(async () => {
  servers = await RedisClusterServers.start(3);
});
afterAll(async () => {
  await servers?.stop();
});

it('computes hash slots as the server does, hash tags included', async () => {
  const port = servers.servers[0]!.port;
  const samples = fc.sample(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc
        .tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }))
        .map(([a, b]) => `${a}{${b}}x`),
      fc.constantFrom('{}', '{}{a}', 'a{', 'a}{b', '{{a}}', 'user:{42}:name'),
    ),
    { numRuns: 60, seed: 42 },
  );
  for (const key of samples) {
    const expected = Number(await redisCli(port, 'cluster', 'keyslot', key));
    expect(keySlot(Buffer.from(key)), JSON.stringify(key)).toBe(expected);
  }
});

for (const driver of DRIVERS) {
  runStoreConformance(`RedisCacheStore on a 3-master Redis Cluster (${driver})`, {
    clock: 'real',
    createStore: () => new RedisCacheStore(clusterOptions(driver, servers.nodes)),
  });

  describe(`RedisCacheStore on a Redis Cluster (${driver})`, () => {
    it('deletes by pattern on every master, across hash slots', async () => {
      const store = new RedisCacheStore(clusterOptions(driver, servers.nodes));
      const cache = new CacheService(store, {
        defaultTTL: 60,
        keyPrefix: `spread-${randomBytes(4).toString('hex')}`,
      });
      await Promise.all(Array.from({ length: 300 }, (_, i) => cache.set(`item:${i}`, i)));
      await cache.set('other:1', 'kept');
      const perMaster = await Promise.all(
        servers.servers.map(async (server) => Number(await redisCli(server.port, 'dbsize'))),
      );
      expect(perMaster.every((size) => size > 0)).toBe(true);
      expect(await cache.delByPattern('item:*')).toBe(300);
      expect(await cache.get('item:7')).toBeUndefined();
      expect(await cache.get('other:1')).toBe('kept');
      await store.close();
    });

    it('uses an injected Cluster client and leaves it open', async () => {
      const client = makeCluster(driver, servers.nodes);
      const store = new RedisCacheStore({ client });
      await store.set('injected:{a}', 'v', 60_000);
      expect(await store.delByPattern('injected:*')).toBe(1);
      await store.close();
      expect(isConnected(client)).toBe(true);
      expect(await store.get('injected:{a}').catch((error: unknown) => error)).toMatchObject({
        code: 'E_STORE_CLOSED',
      });
      await closeClient(client);
    });

    it('fails open within a second when no startup node answers', async () => {
      const logger = recordingLogger();
      const store = new RedisCacheStore(clusterOptions(driver, [{ host: '127.0.0.1', port: 1 }]));
      const cache = new CacheService(store, { defaultTTL: 60, logger });
      const started = performance.now();
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.wrap('k', () => 'computed')).toBe('computed');
      await cache.set('k', 1);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(logger.text()).toContain('redis');
      await store.close();
    });

    it('lets a process that closed a Cluster store exit promptly', async () => {
      const { result, elapsedMs } = await runFixture('redis-close-exit.mjs', [
        JSON.stringify(clusterOptions(driver, servers.nodes)),
      ]);
      expect(result).toEqual({ value: { ok: true } });
      expect(elapsedMs).toBeLessThan(5000);
    });
  });
}
