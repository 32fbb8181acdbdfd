/** Batch operations go through the in-process tier: no batch write leaves a stale copy. */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

const withL1 = (store: MemoryCacheStore) =>
  new CacheService(store, {
    defaultTTL: 60,
    logger: silentLogger,
    l1: { maxEntries: 100, maxAgeMs: 60_000 },
  });

describe('batch operations with an L1 tier', () => {
  it('setMany and delMany replace and drop the copies this instance holds', async () => {
    const cache = withL1(new MemoryCacheStore());
    await cache.set('a', 1);
    await cache.set('b', 2);
    expect(await cache.get('a')).toBe(1); // copies now held
    expect(await cache.get('b')).toBe(2);
    await cache.setMany([
      { key: 'a', value: 10 },
      { key: 'b', value: 20 },
    ]);
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual([10, 20, undefined]);
    expect(await cache.get('a')).toBe(10);
    expect(await cache.delMany(['a', 'b'])).toBe(2);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('getMany answers held keys from the tier and reads only the rest', async () => {
    const store = new MemoryCacheStore();
    const cache = withL1(store);
    await cache.set('held', 'h');
    expect(await cache.get('held')).toBe('h');
    await store.clear();
    const before = cache.stats().l1Hits;
    expect(await cache.getMany(['held'])).toEqual(['h']);
    expect(cache.stats().l1Hits).toBe(before + 1);
  });

  it('getMany keeps copies of what it read, except of a key written while it was in flight', async () => {
    const inner = new MemoryCacheStore();
    let release: (() => void) | undefined;
    const store = Object.assign(Object.create(inner) as MemoryCacheStore, {
      getMany: async (keys: readonly string[]) => {
        const read = await inner.getMany(keys);
        if (keys.includes('slow')) await new Promise<void>((resolve) => (release = resolve));
        return read;
      },
      get: (key: string) => inner.get(key),
      set: (key: string, payload: string, ttlMs: number) => inner.set(key, payload, ttlMs),
    });
    const writer = new CacheService(inner, { defaultTTL: 60, logger: silentLogger });
    const cache = withL1(store);
    await writer.setMany([
      { key: 'a', value: 1 },
      { key: 'slow', value: 'old' },
    ]);
    expect(await cache.getMany(['a'])).toEqual([1]);
    await inner.clear();
    const hits = cache.stats().l1Hits;
    expect(await cache.get('a')).toBe(1); // from the copy the batch kept
    expect(cache.stats().l1Hits).toBe(hits + 1);
    await writer.set('slow', 'old');
    const reading = cache.getMany(['slow']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.set('slow', 'new'); // overtakes the batch read in flight
    release?.();
    expect(await reading).toEqual(['old']);
    expect(await cache.get('slow')).toBe('new'); // not the copy of what the batch read
  });
});
