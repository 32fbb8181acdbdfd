/**
 * withCache, on Vitest's fake clock: the memory store's expiry follows `Date.now()`, and
 * loaders and the drain deadline use `setTimeout`.
 */
import { CacheService, MemoryCacheStore, silentLogger, withCache } from 'glasswork';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settled } from '../helpers/settled.js';

/** Resolves after `ms` on the fake clock, once a test advances it. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('withCache', () => {
  it('resolves only after a stale refresh the handler triggered is in the store', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    let version = 0;
    const fetchFlags = async () => {
      await sleep(50);
      return { version: ++version };
    };
    const loading = cache.wrapSWR('flags', 0.01, 60, fetchFlags);
    await vi.advanceTimersByTimeAsync(50); // the loader
    await loading;
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    const handler = withCache(cache, async (event: { id: string }) => {
      const flags = await cache.wrapSWR('flags', 0.01, 60, fetchFlags);
      return { statusCode: 200, id: event.id, flags };
    });
    const responding = handler({ id: 'req-1' });
    const responded = settled(responding);
    await vi.advanceTimersByTimeAsync(49);
    expect(responded()).toBe(false); // the refresh is still loading
    await vi.advanceTimersByTimeAsync(1);
    expect(await responding).toEqual({ statusCode: 200, id: 'req-1', flags: { version: 1 } });
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
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    const handler = withCache(cache, async () => {
      await cache.wrapSWR('k', 0.01, 60, async () => {
        await sleep(30);
        drainedBeforeError = true;
        return 2;
      });
      throw failure;
    });
    const responding = handler();
    const responded = settled(responding);
    await vi.advanceTimersByTimeAsync(29);
    expect(responded()).toBe(false); // the refresh is still loading
    await vi.advanceTimersByTimeAsync(1);
    await expect(responding).rejects.toBe(failure);
    expect(drainedBeforeError).toBe(true);
  });

  it('drains several caches and stops before the invocation deadline', async () => {
    const a = new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });
    const b = new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });
    await a.wrapSWR('k', 0.01, 60, async () => 1);
    await b.wrapSWR('k', 0.01, 60, async () => 1);
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    const never = () => new Promise<number>(() => {});
    const handler = withCache(
      [a, b],
      async (_event: unknown, _context: { getRemainingTimeInMillis(): number }) => {
        await a.wrapSWR('k', 0.01, 60, never);
        await b.wrapSWR('k', 0.01, 60, async () => 2);
        return 'done';
      },
    );
    // 600 ms remain and 500 ms are kept for the response: draining stops after 100 ms.
    const responding = handler({}, { getRemainingTimeInMillis: () => 600 });
    const responded = settled(responding);
    await vi.advanceTimersByTimeAsync(99);
    expect(responded()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(responded()).toBe(true);
    expect(await responding).toBe('done');
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
    vi.advanceTimersByTime(20);
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
    vi.advanceTimersByTime(20);
    // A refresh started outside any invocation (so no invocation deadline aborts it).
    const never = () => new Promise<number>(() => {});
    await cache.wrapSWR('k', 0.01, 60, never);
    const handler = withCache(
      cache,
      async (_event: unknown, _context: { getRemainingTimeInMillis(): number }) => 'done',
      { logger },
    );
    const context = { getRemainingTimeInMillis: () => 520 };
    for (let i = 0; i < 2; i++) {
      const response = handler({}, context);
      await vi.advanceTimersByTimeAsync(20); // the 20 ms left to drain run out
      expect(await response).toBe('done');
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /stopped draining background refreshes 500 ms before the invocation deadline/,
    );
  });
});
