/**
 * Per-call options "override the service option of the same name", but concurrent callers
 * of a key share the call the first one started, with the first caller's options. A caller
 * that did not allow stale values (no `staleIfError`, no `fnTimeoutMs`) and happens to
 * arrive while another caller's call runs is answered with an expired value it would never
 * have been given on its own.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

describe('a joiner that allowed no stale value', () => {
  it('is not answered with the expired value the first caller allowed (loader failed)', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrap('price', 1, () => 100, { staleIfError: 3600 });
    vi.setSystemTime(Date.now() + 30 * 60_000); // expired for 30 minutes
    let fail!: (error: Error) => void;
    const loader = () =>
      new Promise<number>((_, reject) => {
        fail = reject;
      });
    const tolerant = cache.wrap('price', 1, loader, { staleIfError: 3600 });
    await vi.advanceTimersByTimeAsync(0);
    // Wants the current price or an error; never a 30-minute-old one.
    const strict = cache.wrap('price', 1, () => 200);
    await vi.advanceTimersByTimeAsync(0);
    fail(new Error('pricing service down'));
    expect(await tolerant).toBe(100);
    const outcome = await strict.then(
      (value) => ({ value }),
      (error: Error) => ({ error: error.message }),
    );
    expect(outcome).not.toEqual({ value: 100 });
  });

  it('is not answered with the expired value when the first caller set fnTimeoutMs', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrap('price', 1, () => 100, { staleIfError: 3600 });
    vi.setSystemTime(Date.now() + 30 * 60_000);
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(300), 500));
    const tolerant = cache.wrap('price', 1, slow, { staleIfError: 3600, fnTimeoutMs: 50 });
    await vi.advanceTimersByTimeAsync(0);
    const strict = cache.wrap('price', 1, slow);
    await vi.advanceTimersByTimeAsync(600);
    expect(await tolerant).toBe(100);
    expect(await strict).toBe(300);
  });
});
