import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../helpers/recording-logger.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const failing = async (): Promise<string> => {
  throw new Error('upstream down');
};

describe('staleIfError', () => {
  it('serves an expired value within the window when fn throws, and logs it', async () => {
    const logger = recordingLogger();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10, logger });
    await cache.wrap('k', 10, async () => 'v1', { staleIfError: 60 });
    vi.advanceTimersByTime(30_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
    expect(await cache.wrap('k', 10, failing, { staleIfError: 60 })).toBe('v1');
    expect(logger.text()).toContain(
      'loader for "k" failed; serving the stale value: upstream down',
    );
    expect(cache.stats().stales).toBe(1);
  });

  it('keeps the entry in the store for ttl + staleIfError, no longer', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, {
      defaultTTL: 10,
      logger: silentLogger,
      staleIfError: 60,
    });
    await cache.wrap('k', async () => 'v1');
    vi.advanceTimersByTime(69_999);
    expect(await store.has('k')).toBe(true);
    expect(await cache.wrap('k', failing)).toBe('v1');
    vi.advanceTimersByTime(1);
    expect(await store.has('k')).toBe(false);
    await expect(cache.wrap('k', failing)).rejects.toThrow('upstream down');
  });

  it('replaces the stale value when fn succeeds', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
      staleIfError: 60,
    });
    await cache.wrap('k', async () => 'v1');
    vi.advanceTimersByTime(11_000);
    expect(await cache.wrap('k', async () => 'v2')).toBe('v2');
    expect(await cache.get('k')).toBe('v2');
  });

  it('is off by default: a failing fn rejects once the entry expired', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
    });
    await cache.wrap('k', async () => 'v1');
    vi.advanceTimersByTime(10_000);
    await expect(cache.wrap('k', failing)).rejects.toThrow('upstream down');
  });

  it('validates the window like a TTL', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    await expect(cache.wrap('k', 1, () => 1, { staleIfError: -1 })).rejects.toThrow(
      /staleIfError must be/,
    );
  });
});

describe('fnTimeoutMs (soft timeout)', () => {
  it('serves the stale value when fn is slow, and stores fn’s value when it finishes', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
    });
    const options = { staleIfError: 60, fnTimeoutMs: 200 };
    await cache.wrap('k', async () => 'v1', options);
    vi.advanceTimersByTime(11_000);
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('v2'), 1000));
    const pending = cache.wrap('k', slow, options);
    await vi.advanceTimersByTimeAsync(200);
    expect(await pending).toBe('v1');
    expect(await cache.get('k')).toBeUndefined();
    const drained = cache.drain();
    await vi.advanceTimersByTimeAsync(800);
    expect(await drained).toBe(true);
    expect(await cache.get('k')).toBe('v2');
  });

  it('starts no second loader while the first still runs past its soft timeout', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
    });
    const options = { staleIfError: 60, fnTimeoutMs: 50 };
    await cache.wrap('k', async () => 'v1', options);
    vi.advanceTimersByTime(11_000);
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve) => setTimeout(() => resolve('v2'), 1000));
    };
    for (let i = 0; i < 8; i++) {
      const pending = cache.wrap('k', slow, options);
      await vi.advanceTimersByTimeAsync(50);
      expect(await pending).toBe('v1');
    }
    expect(calls).toBe(1);
    const drained = cache.drain();
    await vi.advanceTimersByTimeAsync(1000);
    await drained;
    expect(await cache.wrap('k', slow, options)).toBe('v2');
    expect(calls).toBe(1);
  });

  it('waits for fn when there is no stale value', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
      fnTimeoutMs: 100,
    });
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('v1'), 1000));
    const pending = cache.wrap('k', slow);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await pending).toBe('v1');
  });

  it('applies to inline SWR refreshes and logs a background failure', async () => {
    const logger = recordingLogger();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10, logger });
    const options = { backgroundRefresh: false, fnTimeoutMs: 100 };
    await cache.wrapSWR('k', 1, 60, async () => 'v1', options);
    vi.advanceTimersByTime(1_000);
    const slowFailure = () =>
      new Promise<string>((_, reject) => setTimeout(() => reject(new Error('late failure')), 500));
    const pending = cache.wrapSWR('k', 1, 60, slowFailure, options);
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toBe('v1');
    const drained = cache.drain();
    await vi.advanceTimersByTimeAsync(400);
    await drained;
    expect(logger.text()).toContain('late failure');
  });
});

describe('backgroundRefresh: false (inline refresh)', () => {
  it('returns the refreshed value and leaves nothing running', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
      backgroundRefresh: false,
    });
    let version = 0;
    const fn = async () => `v${++version}`;
    expect(await cache.wrapSWR('k', 1, 60, fn)).toBe('v1');
    vi.advanceTimersByTime(1_000);
    expect(await cache.wrapSWR('k', 1, 60, fn)).toBe('v2');
    expect(await cache.drain(0)).toBe(true);
  });

  it('returns the stale value when the refresh fails', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
    });
    await cache.wrapSWR('k', 1, 60, async () => 'v1');
    vi.advanceTimersByTime(1_000);
    expect(await cache.wrapSWR('k', 1, 60, failing, { backgroundRefresh: false })).toBe('v1');
    expect(cache.stats().refreshErrors).toBe(1);
  });
});
