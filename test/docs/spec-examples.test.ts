/**
 * The examples of the cache specification, verbatim where they use MemoryCacheStore.
 * Examples that need DynamoDB or module registration are in their own suites.
 */
import { describe, expect, it, vi } from 'vitest';

describe('spec: Memory (tests/local only)', () => {
  it('runs verbatim', async () => {
    const { MemoryCacheStore, CacheService } = await import('glasswork');

    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60 });

    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
  });
});

describe('spec: Testing', () => {
  it('runs verbatim', async () => {
    const { CacheService, MemoryCacheStore } = await import('glasswork');

    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 120 });

    expect(await cache.wrap('x', () => 1)).toBe(1);
  });
});

describe('spec: Core API on MemoryCacheStore', () => {
  it('runs the core example with the store swapped', async () => {
    const { CacheService, MemoryCacheStore, createCacheKey } = await import('glasswork');
    const fetchUser = vi.fn(async (id: string) => ({ id }));
    const fetchFlags = vi.fn(async () => ({ newCheckout: true }));

    const store = new MemoryCacheStore();

    const cache = new CacheService(store, {
      defaultTTL: 300, // seconds
      keyPrefix: 'myapp', // optional namespace
    });

    const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);

    // Basic set/get
    await cache.set(userKey('123'), { id: '123' }); // TTL defaults to 300
    const user = await cache.get(userKey('123')); // -> { id: '123' } | undefined

    // Cache-aside
    const profile = await cache.wrap(userKey('123'), 600, () => fetchUser('123'));

    // Stale-while-revalidate
    const flags = await cache.wrapSWR('feature-flags', 60, 300, fetchFlags);

    expect(user).toEqual({ id: '123' });
    expect(profile).toEqual({ id: '123' });
    expect(fetchUser).not.toHaveBeenCalled();
    expect(flags).toEqual({ newCheckout: true });
    expect(await store.has('myapp:user:123')).toBe(true);
  });

  it('runs the typed-key example', async () => {
    const { CacheService, MemoryCacheStore, createCacheKey } = await import('glasswork');
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });

    const featureKey = createCacheKey<{ rollout: number }>('flags', () => 'flags:current');
    const flags = await cache.get(featureKey); // typed as { rollout: number } | undefined

    expect(flags).toBeUndefined();
    await cache.set(featureKey, { rollout: 10 });
    expect((await cache.get(featureKey))?.rollout).toBe(10);
  });

  it('is deterministic with fake timers: wrapSWR refreshes after staleTTL', async () => {
    vi.useFakeTimers();
    const { CacheService, MemoryCacheStore } = await import('glasswork');
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 120 });
    let version = 0;
    const fetchFlags = async () => ({ version: ++version });
    expect(await cache.wrapSWR('feature-flags', 60, 300, fetchFlags)).toEqual({ version: 1 });
    vi.advanceTimersByTime(61_000);
    expect(await cache.wrapSWR('feature-flags', 60, 300, fetchFlags)).toEqual({ version: 1 });
    await cache.drain();
    expect(await cache.wrapSWR('feature-flags', 60, 300, fetchFlags)).toEqual({ version: 2 });
    vi.useRealTimers();
  });
});
