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
});
