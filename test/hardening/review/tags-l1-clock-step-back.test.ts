/**
 * The l1 tier measures a copy's age on the wall clock alone (Copies.get compares Date.now()
 * with the copy's readAtMs). docs/tags.md says l1.maxAgeMs is measured on both the monotonic
 * and the wall clock, "so a clock step ... never extends" it. A wall clock stepped back
 * (NTP) by less than the copy's age keeps the copy of a tag version alive past maxAgeMs of
 * real time, and an invalidated tagged entry is served after the bound.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('l1 copies and a wall clock stepped back', () => {
  it('an invalidated tagged entry is not served more than maxAgeMs (real time) after the invalidation', async () => {
    const store = new MemoryCacheStore();
    const writer = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const reader = new CacheService(store, {
      defaultTTL: 60,
      logger: silentLogger,
      l1: { maxAgeMs: 1000 },
    });
    await writer.set('product', 'old', { ttl: 60, tags: ['catalog'] });
    expect(await reader.get('product')).toBe('old'); // copies the entry and the tag version
    expect(await writer.invalidateTags(['catalog'])).toBe(true);

    // The wall clock is stepped back 800 ms; 1,200 ms of real time then pass.
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 800);
    await new Promise((resolve) => setTimeout(resolve, 1200));

    expect(await reader.get('product')).toBeUndefined();
    expect(await reader.wrap('product', 60, async () => 'new', { tags: ['catalog'] })).toBe('new');
  });
});
