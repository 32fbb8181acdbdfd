import { CacheService, CacheStoreError, RedisCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../helpers/recording-logger.js';
import { DRIVERS, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisServer, waitFor } from '../../helpers/redis-server.js';
import { runFixture } from '../../helpers/run-fixture.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Runs `call` and resolves its result with the time it took, in milliseconds. */
async function timed<T>(call: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await call();
  return [result, performance.now() - started];
}

for (const driver of DRIVERS) {
  describe(`RedisCacheStore when Redis fails (${driver})`, () => {
    let server: RedisServer;

    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('fails open within a second when Redis is unreachable from the start', async () => {
      const logger = recordingLogger();
      const store = new RedisCacheStore(urlOptions(driver, 'redis://127.0.0.1:1'));
      const cache = new CacheService(store, { defaultTTL: 60, logger });
      for (let round = 0; round < 2; round++) {
        const [value, getMs] = await timed(() => cache.get('user:1'));
        expect(value).toBeUndefined();
        const [wrapped, wrapMs] = await timed(() => cache.wrap('user:1', () => ({ id: 1 })));
        expect(wrapped).toEqual({ id: 1 });
        const [, setMs] = await timed(() => cache.set('user:1', { id: 1 }));
        expect(Math.max(getMs, wrapMs, setMs)).toBeLessThan(1000);
      }
      // Every failure is counted; the log gets one line per operation per 5 s.
      expect(cache.stats().errors).toBeGreaterThanOrEqual(6);
      const warnings = logger.lines.filter((line) => line.level === 'warn');
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      expect(warnings[0]!.context).toMatchObject({ store: 'redis', key: 'user:1' });
      expect(logger.text()).toContain('ECONNREFUSED');
      await store.close();
    });

    it('fails open while the server is down and recovers after a restart, same store', async () => {
      const logger = recordingLogger();
      const store = new RedisCacheStore(urlOptions(driver, server.url));
      const cache = new CacheService(store, { defaultTTL: 60, logger });
      await cache.set('before', 1);
      expect(await cache.get('before')).toBe(1);

      await server.kill();
      for (let round = 0; round < 3; round++) {
        const [value, getMs] = await timed(() => cache.get('before'));
        expect(value).toBeUndefined();
        const [wrapped, wrapMs] = await timed(() => cache.wrap('down', () => 'computed'));
        expect(wrapped).toBe('computed');
        const [, setMs] = await timed(() => cache.set('down', 'x'));
        expect(Math.max(getMs, wrapMs, setMs)).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(cache.stats().errors).toBeGreaterThanOrEqual(9);
      expect(logger.lines.length).toBeGreaterThanOrEqual(2);

      await server.restart();
      const restarted = performance.now();
      await waitFor(
        'the store to reconnect',
        async () => {
          await cache.set('after', 2);
          return (await cache.get('after')) === 2;
        },
        5000,
      );
      expect(performance.now() - restarted).toBeLessThan(5000);
      await store.close();
    });

    it('times out commands per commandTimeoutMs while the server is paused', async () => {
      const store = new RedisCacheStore(urlOptions(driver, server.url, { commandTimeoutMs: 200 }));
      const cache = new CacheService(store, { defaultTTL: 60, logger: recordingLogger() });
      await store.set('paused', 'v', 60_000);
      server.signal('SIGSTOP');
      try {
        const [error, storeMs] = await timed(() => store.get('paused').catch((e: unknown) => e));
        expect(error).toMatchObject({ code: 'E_STORE_TIMEOUT', store: 'redis', key: 'paused' });
        expect(storeMs).toBeGreaterThanOrEqual(190);
        expect(storeMs).toBeLessThan(800);
        // The stalled connection was dropped: calls now fail at once instead of waiting.
        const [value, serviceMs] = await timed(() => cache.get('paused'));
        expect(value).toBeUndefined();
        expect(serviceMs).toBeLessThan(100);
      } finally {
        server.signal('SIGCONT');
      }
      await waitFor(
        'the resumed server to answer',
        async () => (await store.get('paused')) === 'v',
      );
      await store.close();
    });

    it('bounds the first connection when the server accepts it but does not answer', async () => {
      const store = new RedisCacheStore(
        urlOptions(driver, server.url, { commandTimeoutMs: 200, connectTimeoutMs: 300 }),
      );
      const cache = new CacheService(store, { defaultTTL: 60, logger: recordingLogger() });
      server.signal('SIGSTOP');
      try {
        // The handshake times out (commandTimeoutMs) or the wait for it does
        // (connectTimeoutMs + commandTimeoutMs), whichever comes first.
        const [error, firstMs] = await timed(() => store.get('first').catch((e: unknown) => e));
        expect(error).toBeInstanceOf(CacheStoreError);
        expect(['E_STORE_TIMEOUT', 'E_STORE_UNAVAILABLE']).toContain(
          (error as CacheStoreError).code,
        );
        expect(firstMs).toBeGreaterThanOrEqual(190);
        expect(firstMs).toBeLessThan(1000);
        const [wrapped, wrapMs] = await timed(() => cache.wrap('first', () => 'computed'));
        expect(wrapped).toBe('computed');
        expect(wrapMs).toBeLessThan(100);
      } finally {
        server.signal('SIGCONT');
      }
      await waitFor('the resumed server to answer', async () => {
        await store.set('first', 'v', 60_000);
        return (await store.get('first')) === 'v';
      });
      await store.close();
    });

    it('lets a process that closed the store exit promptly', async () => {
      for (const options of [
        urlOptions(driver, REDIS_URL),
        urlOptions(driver, server.url, { commandTimeoutMs: 300 }),
      ]) {
        const { result, elapsedMs } = await runFixture('redis-close-exit.mjs', [
          JSON.stringify(options),
        ]);
        expect(result).toEqual({ value: { ok: true } });
        expect(elapsedMs).toBeLessThan(5000);
      }
      // Also while the store is still trying to reconnect to a server that is not there.
      const { result, elapsedMs } = await runFixture('redis-close-exit.mjs', [
        JSON.stringify(urlOptions(driver, 'redis://127.0.0.1:1')),
      ]);
      expect(result).toEqual({});
      expect(elapsedMs).toBeLessThan(5000);
    });
  });
}
