import { CacheService, type CacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';

const create = (store: CacheStore = new MemoryCacheStore(), keyPrefix?: string) =>
  new CacheService(store, { defaultTTL: 60, keyPrefix, logger: silentLogger });

afterEach(() => {
  vi.useRealTimers();
});

describe('wrap', () => {
  it('computes on a miss, then serves from the cache', async () => {
    const cache = create();
    const fn = vi.fn(async () => ({ id: '1' }));
    expect(await cache.wrap('k', 600, fn)).toEqual({ id: '1' });
    expect(await cache.wrap('k', 600, fn)).toEqual({ id: '1' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('uses defaultTTL with wrap(key, fn) and wrap(key, undefined, fn)', async () => {
    vi.useFakeTimers();
    const cache = create();
    let n = 0;
    await cache.wrap('a', () => ++n);
    await cache.wrap('b', undefined, () => ++n);
    vi.advanceTimersByTime(59_999);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('b')).toBe(2);
    vi.advanceTimersByTime(1);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
  });

  it('runs fn once for 1000 concurrent callers on a cold key', async () => {
    const store = new ChaosStore();
    const cache = create(store);
    let calls = 0;
    const fn = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { n: calls };
    };
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.wrap('cold', fn)));
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.n))).toEqual(new Set([1]));
    expect(store.calls.get).toBe(2); // the entry and the service's generation
    expect(store.calls.set).toBe(1);
  });

  it('shares a rejection among concurrent callers and does not cache it', async () => {
    const cache = create();
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('upstream down');
    };
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => cache.wrap('k', failing)),
    );
    expect(calls).toBe(1);
    expect(
      results.every((r) => r.status === 'rejected' && r.reason.message === 'upstream down'),
    ).toBe(true);
    expect(await cache.wrap('k', () => 'recovered')).toBe('recovered');
  });

  it('returns undefined from fn without caching it', async () => {
    const cache = create();
    let calls = 0;
    const countedUndefined = () => {
      calls++;
      return undefined;
    };
    expect(await cache.wrap('u', countedUndefined)).toBeUndefined();
    expect(await cache.wrap('u', countedUndefined)).toBeUndefined();
    expect(calls).toBe(2);
    expect(await cache.has('u')).toBe(false);
  });

  it('scopes single-flight per instance and by full key', async () => {
    const store = new MemoryCacheStore();
    const a = create(store, 'a');
    const b = create(store, 'b');
    const slow = (value: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return value;
    };
    const [fromA, fromB] = await Promise.all([
      a.wrap('same', slow('A')),
      b.wrap('same', slow('B')),
    ]);
    expect([fromA, fromB]).toEqual(['A', 'B']);
    expect(await store.get('a:same')).toContain('"A"');
    expect(await store.get('b:same')).toContain('"B"');
  });

  it('lets nested wraps on different keys complete', async () => {
    const cache = create();
    const outer = await cache.wrap('outer', async () => {
      const inner = await cache.wrap('inner', async () => 2);
      return inner + 1;
    });
    expect(outer).toBe(3);
    expect(await cache.get('inner')).toBe(2);
  });

  it('refuses a missing fn', async () => {
    const cache = create();
    await expect(cache.wrap('k', 10, undefined as never)).rejects.toThrow(
      expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }),
    );
  });

  it("says the TTL goes before the loader when given in cache-manager's order", async () => {
    const cache = create();
    const error = await cache.wrap('k', () => 1, 60 as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_INVALID_ARGUMENT' });
    expect((error as Error).message).toBe(
      'wrap got a number (60) after the loader: the TTL goes before it, in seconds, as wrap(key, 60, fn); leave it out to use defaultTTL',
    );
  });

  it('logs and returns a computed value it cannot serialize', async () => {
    const logs: string[] = [];
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: { ...silentLogger, error: (message: string) => logs.push(message) },
    });
    expect(await cache.wrap('big', () => ({ n: 1n }))).toEqual({ n: 1n });
    expect(logs[0]).toMatch(/value for "big" was computed but not cached: E_SERIALIZE/);
  });
});

describe('wrapSWR', () => {
  it('serves fresh values without refreshing', async () => {
    vi.useFakeTimers();
    const cache = create();
    const fn = vi.fn(async () => 'v1');
    expect(await cache.wrapSWR('k', 10, 60, fn)).toBe('v1');
    vi.advanceTimersByTime(9_999);
    expect(await cache.wrapSWR('k', 10, 60, fn)).toBe('v1');
    await cache.drain();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('serves a stale value at once and refreshes it once in the background', async () => {
    vi.useFakeTimers();
    const cache = create();
    let version = 0;
    const fn = vi.fn(async () => `v${++version}`);
    await cache.wrapSWR('k', 10, 60, fn);
    vi.advanceTimersByTime(10_000);
    const stale = await Promise.all(
      Array.from({ length: 20 }, () => cache.wrapSWR('k', 10, 60, fn)),
    );
    expect(stale.every((v) => v === 'v1')).toBe(true);
    await cache.drain();
    expect(fn).toHaveBeenCalledTimes(2);
    expect(await cache.wrapSWR('k', 10, 60, fn)).toBe('v2');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('allows one refresh per key at a time even across reads', async () => {
    vi.useFakeTimers();
    const cache = create();
    let release: () => void = () => {};
    let calls = 0;
    const fn = () => {
      calls++;
      if (calls === 1) return 'v1';
      return new Promise<string>((resolve) => {
        release = () => resolve('v2');
      });
    };
    await cache.wrapSWR('k', 1, 60, fn);
    vi.advanceTimersByTime(1_000);
    for (let i = 0; i < 10; i++) expect(await cache.wrapSWR('k', 1, 60, fn)).toBe('v1');
    expect(calls).toBe(2);
    release();
    await cache.drain();
    expect(await cache.get('k')).toBe('v2');
  });

  it('computes in the foreground past maxTTL or when absent', async () => {
    vi.useFakeTimers();
    const cache = create();
    let version = 0;
    const fn = async () => `v${++version}`;
    expect(await cache.wrapSWR('k', 10, 60, fn)).toBe('v1');
    vi.advanceTimersByTime(60_000);
    expect(await cache.wrapSWR('k', 10, 60, fn)).toBe('v2');
  });

  it('keeps the entry for maxTTL in the store', async () => {
    vi.useFakeTimers();
    const store = new MemoryCacheStore();
    const cache = create(store);
    await cache.wrapSWR('k', 10, 60, () => 'v');
    vi.advanceTimersByTime(59_999);
    expect(await store.has('k')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(await store.has('k')).toBe(false);
  });

  it('logs a failed refresh, keeps serving stale, and backs off', async () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: { ...silentLogger, error: (message: string) => errors.push(message) },
    });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    let calls = 0;
    const fn = async () => {
      calls++;
      if (calls > 1) throw new Error('upstream down');
      return 'v1';
    };
    await cache.wrapSWR('k', 1, 600, fn);
    vi.advanceTimersByTime(1_000);
    expect(await cache.wrapSWR('k', 1, 600, fn)).toBe('v1');
    await cache.drain();
    expect(calls).toBe(2);
    expect(errors[0]).toMatch(/refresh of "k" failed; serving the stale value: upstream down/);
    // Within the backoff, stale reads do not call the failing upstream again.
    for (let i = 0; i < 5; i++) expect(await cache.wrapSWR('k', 1, 600, fn)).toBe('v1');
    await cache.drain();
    expect(calls).toBe(2);
    vi.advanceTimersByTime(1_000);
    await cache.wrapSWR('k', 1, 600, fn);
    await cache.drain();
    expect(calls).toBe(3);
    // The backoff doubles after each failure.
    vi.advanceTimersByTime(1_000);
    await cache.wrapSWR('k', 1, 600, fn);
    await cache.drain();
    expect(calls).toBe(3);
    vi.advanceTimersByTime(1_000);
    await cache.wrapSWR('k', 1, 600, fn);
    await cache.drain();
    expect(calls).toBe(4);
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('validates 0 < staleTTL <= maxTTL', async () => {
    const cache = create();
    const fn = () => 1;
    await expect(cache.wrapSWR('k', 0, 10, fn)).rejects.toThrow(/staleTTL must be/);
    await expect(cache.wrapSWR('k', 10, -1, fn)).rejects.toThrow(/maxTTL must be/);
    await expect(cache.wrapSWR('k', 11, 10, fn)).rejects.toThrow(/staleTTL must not exceed maxTTL/);
    expect(await cache.wrapSWR('k', 10, 10, fn)).toBe(1);
  });

  it('drain() resolves at once when nothing is running', async () => {
    await expect(create().drain()).resolves.toBe(true);
  });
});
