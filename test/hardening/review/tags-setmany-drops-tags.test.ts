/**
 * setMany has no tags, but its entries are not checked for unknown fields: an entry given
 * `tags` (from JavaScript, or copied from set's options) is written untagged, silently, and
 * survives invalidateTags of those tags. set() refuses an unknown option with
 * E_INVALID_OPTION; setMany should refuse it too (or honour it).
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

describe('setMany entries with tags', () => {
  it('are refused, or invalidated by their tags', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const entries = [{ key: 'product:1', value: 1, ttl: 60, tags: ['catalog'] }];
    const refused = await cache.setMany(entries as never).then(
      () => false,
      (error: { code?: string }) =>
        error.code === 'E_INVALID_OPTION' || error.code === 'E_INVALID_ARGUMENT',
    );
    if (refused) return;
    expect(await cache.invalidateTags(['catalog'])).toBe(true);
    expect(await cache.get('product:1')).toBeUndefined();
  });
});
