import { CacheService, MemoryCacheStore, silentLogger, withCache } from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withCache', () => {
  it('resolves only after a stale refresh the handler triggered is in the store', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    let version = 0;
    const fetchFlags = async () => {
      await sleep(50);
      return { version: ++version };
    };
    await cache.wrapSWR('flags', 0.01, 60, fetchFlags);
    await sleep(20);
    const handler = withCache(cache, async (event: { id: string }) => {
      const flags = await cache.wrapSWR('flags', 0.01, 60, fetchFlags);
      return { statusCode: 200, id: event.id, flags };
    });
    const response = await handler({ id: 'req-1' });
    expect(response).toEqual({ statusCode: 200, id: 'req-1', flags: { version: 1 } });
    // The refresh finished before the handler returned: the store already holds version 2.
    const payload = await store.get('flags');
    expect(payload).toMatch(/"version":2/);
  });

  it('passes handler errors through unchanged, after draining', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const failure = new TypeError('bad event');
    let drainedBeforeError = false;
    await cache.wrapSWR('k', 0.01, 60, async () => 1);
    await sleep(20);
    const handler = withCache(cache, async () => {
      await cache.wrapSWR('k', 0.01, 60, async () => {
        await sleep(30);
        drainedBeforeError = true;
        return 2;
      });
      throw failure;
    });
    await expect(handler()).rejects.toBe(failure);
    expect(drainedBeforeError).toBe(true);
  });

  it('drains several caches and stops before the invocation deadline', async () => {
    const a = new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });
    const b = new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });
    await a.wrapSWR('k', 0.01, 60, async () => 1);
    await b.wrapSWR('k', 0.01, 60, async () => 1);
    await sleep(20);
    const never = () => new Promise<number>(() => {});
    const handler = withCache(
      [a, b],
      async (_event: unknown, _context: { getRemainingTimeInMillis(): number }) => {
        await a.wrapSWR('k', 0.01, 60, never);
        await b.wrapSWR('k', 0.01, 60, async () => 2);
        return 'done';
      },
    );
    const started = Date.now();
    expect(await handler({}, { getRemainingTimeInMillis: () => 600 })).toBe('done');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(500);
    expect(await b.get('k')).toBe(2);
  });

  it('returns synchronous handler results', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
    expect(await withCache(cache, (n: number) => n * 2)(21)).toBe(42);
  });

  it.each([
    ['a fraction', () => 1234.5],
    ['NaN', () => Number.NaN],
    ['a negative number', () => -20],
    ['Infinity', () => Number.POSITIVE_INFINITY],
    ['a string', () => '900' as unknown as number],
    [
      'a throw',
      () => {
        throw new Error('no deadline');
      },
    ],
  ])('keeps the handler result when the remaining time is %s', async (_, remaining) => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrapSWR('k', 0.01, 60, async () => 1);
    await sleep(20);
    const handler = withCache(
      cache,
      async (_event: unknown, _context: { getRemainingTimeInMillis(): number }) => {
        await cache.wrapSWR('k', 0.01, 60, async () => 2);
        return 'result';
      },
      { logger: silentLogger },
    );
    await expect(handler({}, { getRemainingTimeInMillis: remaining })).resolves.toBe('result');
    const failure = new TypeError('handler failed');
    const failing = withCache(cache, async (_event: unknown, _context: object) => {
      throw failure;
    });
    await expect(failing({}, { getRemainingTimeInMillis: remaining })).rejects.toBe(failure);
  });

  it('logs once when draining is cut short by the deadline', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    await cache.wrapSWR('k', 0.01, 60, async () => 1);
    await sleep(20);
    const never = () => new Promise<number>(() => {});
    const handler = withCache(
      cache,
      async (_event: unknown, _context: { getRemainingTimeInMillis(): number }) => {
        await cache.wrapSWR('k', 0.01, 60, never);
        return 'done';
      },
      { logger },
    );
    const context = { getRemainingTimeInMillis: () => 520 };
    expect(await handler({}, context)).toBe('done');
    expect(await handler({}, context)).toBe('done');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /stopped draining background refreshes 500 ms before the invocation deadline/,
    );
  });
});
