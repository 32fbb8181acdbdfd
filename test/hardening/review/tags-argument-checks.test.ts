/**
 * assertTags validates with Array.prototype.forEach, which skips the holes of a sparse array,
 * then dedups through a Set, which yields `undefined` for them: a hole passes as a tag.
 * set() then writes a stamp JSON.stringify turns into `null`, which decodes as malformed
 * (logged, a miss forever), and invalidateTags([ , ]) invalidates the tag "undefined".
 * The 32-tag limit is also counted before duplicates are dropped, though docs/tags.md says
 * "duplicates count once".
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

function service() {
  return new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });
}

describe('tag arguments', () => {
  it('a hole in the tags of set() is E_INVALID_TAG', async () => {
    const cache = service();
    // biome-ignore lint/suspicious/noSparseArray: the bad input under test
    const tags = [, 'catalog'] as unknown as string[];
    await expect(cache.set('k', 1, { ttl: 60, tags })).rejects.toMatchObject({
      code: 'E_INVALID_TAG',
    });
  });

  it('a hole in the tags of wrap() is E_INVALID_TAG', async () => {
    const cache = service();
    const tags = new Array(2) as string[];
    await expect(cache.wrap('k', 60, async () => 1, { tags })).rejects.toMatchObject({
      code: 'E_INVALID_TAG',
    });
  });

  it('a hole in invalidateTags() is E_INVALID_TAG, and does not invalidate the tag "undefined"', async () => {
    const cache = service();
    await cache.set('k', 1, { ttl: 60, tags: ['undefined'] });
    const tags = new Array(1) as string[];
    await expect(cache.invalidateTags(tags)).rejects.toMatchObject({ code: 'E_INVALID_TAG' });
    expect(await cache.get('k')).toBe(1);
  });

  it('duplicates count once towards the 32-tag limit', async () => {
    const cache = service();
    const tags = Array.from({ length: 40 }, (_, i) => `t${i % 4}`);
    await cache.set('k', 1, { ttl: 60, tags });
    expect(await cache.get('k')).toBe(1);
    expect(await cache.invalidateTags(tags)).toBe(true);
  });
});
