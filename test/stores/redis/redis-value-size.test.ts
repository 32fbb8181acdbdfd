/**
 * maxValueBytes: `set` refuses larger payloads; a larger value another client stored reads
 * as a miss on its own key, without taking the shared connection (and other keys) down.
 */
import { CacheLimitError, CacheService, RedisCacheStore } from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../helpers/recording-logger.js';
import { DRIVERS, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisServer, redisCli } from '../../helpers/redis-server.js';

const MiB = 1024 * 1024;

for (const driver of DRIVERS) {
  describe(`RedisCacheStore maxValueBytes (${driver})`, () => {
    let server: RedisServer;
    let raw: Redis;

    beforeAll(async () => {
      server = await RedisServer.start();
      raw = new Redis(server.url);
    });
    afterAll(async () => {
      raw?.disconnect();
      await server?.stop();
    });

    it('reads a 110 MiB foreign value as a miss while 50 concurrent small gets hit', async () => {
      const logger = recordingLogger();
      const store = new RedisCacheStore(urlOptions(driver, server.url));
      const cache = new CacheService(store, { defaultTTL: 60, logger });
      try {
        const keys = Array.from({ length: 50 }, (_, i) => `small:${i}`);
        await Promise.all(keys.map((key, i) => cache.set(key, { i })));
        await cache.set('big', 'placeholder');
        const [bigKey] = (await raw.keys('*big*')) as [string];
        await raw.set(bigKey, JSON.stringify('x'.repeat(110 * MiB)));
        try {
          const connections = Number(
            /total_connections_received:(\d+)/.exec(
              await redisCli(server.port, 'info', 'stats'),
            )?.[1],
          );
          for (let round = 0; round < 2; round++) {
            const [big, ...small] = await Promise.all([
              cache.get('big'),
              ...keys.map((key) => cache.get(key)),
            ]);
            expect(big).toBeUndefined();
            expect(small).toEqual(keys.map((_, i) => ({ i })));
          }
          // Two misses, one line: repeated failures of one operation are logged once per 5 s.
          const warnings = logger.lines.filter((line) => line.level === 'warn');
          expect(warnings).toHaveLength(1);
          expect(cache.stats().errors).toBe(2);
          expect(warnings[0]!.message).toContain('E_PAYLOAD_TOO_LARGE');
          expect(warnings[0]!.context).toMatchObject({ store: 'redis', key: bigKey });
          // The shared connection was never dropped (the only new one is this redis-cli's).
          const after = /total_connections_received:(\d+)/.exec(
            await redisCli(server.port, 'info', 'stats'),
          )?.[1];
          expect(Number(after)).toBe(connections + 1);
        } finally {
          await raw.unlink(bigKey);
        }
      } finally {
        await store.close();
      }
    }, 60_000);

    it('refuses to set a payload over maxValueBytes', async () => {
      const store = new RedisCacheStore(urlOptions(driver, server.url, { maxValueBytes: 1000 }));
      const cache = new CacheService(store, { defaultTTL: 60, logger: recordingLogger() });
      try {
        await store.set('limit:fits', 'é'.repeat(500), 60_000);
        expect(await store.get('limit:fits')).toBe('é'.repeat(500));
        for (const attempt of [
          store.set('limit:big', 'é'.repeat(501), 60_000),
          store.setIfAbsent('limit:big', 'x'.repeat(1001), 60_000),
          cache.set('limit:big', 'x'.repeat(2000)),
        ]) {
          const error = await attempt.catch((e: unknown) => e);
          expect(error).toBeInstanceOf(CacheLimitError);
          expect(error).toMatchObject({ code: 'E_VALUE_TOO_LARGE', limit: 1000 });
        }
        expect(await raw.exists('limit:big')).toBe(0);
        // A foreign value just over the limit reads as a miss; one at the limit as a hit.
        await raw.set('limit:foreign', 'y'.repeat(1001));
        await expect(store.get('limit:foreign')).rejects.toMatchObject({
          code: 'E_PAYLOAD_TOO_LARGE',
          key: 'limit:foreign',
        });
        await raw.set('limit:foreign', 'y'.repeat(1000));
        expect(await store.get('limit:foreign')).toBe('y'.repeat(1000));
      } finally {
        await raw.unlink('limit:fits', 'limit:foreign');
        await store.close();
      }
    });

    it('keeps the empty payload apart from a missing key', async () => {
      const store = new RedisCacheStore(urlOptions(driver, server.url));
      try {
        await store.set('empty:payload', '', 60_000);
        expect(await store.get('empty:payload')).toBe('');
        expect(await store.get('empty:missing')).toBeUndefined();
      } finally {
        await raw.unlink('empty:payload');
        await store.close();
      }
    });

    it('checks maxValueBytes at construction', () => {
      for (const maxValueBytes of [0, -1, 1.5, 2 ** 40, Number.NaN, '1024']) {
        expect(
          () => new RedisCacheStore(urlOptions(driver, server.url, { maxValueBytes } as never)),
        ).toThrowError(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
      }
      expect(
        () => new RedisCacheStore(urlOptions(driver, server.url, { maxValueBytes: 512 * MiB })),
      ).not.toThrow();
    });
  });
}
