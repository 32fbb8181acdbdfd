/**
 * A state key (`#glasswork:generation`, `#glasswork:tag:<tag>`) holding something that is
 * not a version (garbage written by another program, a truncated or binary value, a value
 * over maxValueBytes) reads as "no version". TagState#make then tries SET NX, which fails
 * because the key exists, reads the garbage again, gets `undefined` and stamps ''. Every
 * entry written afterwards is never valid: one bad key silently disables the whole cache
 * (generation) or a tag, until the state key's TTL (MAX_TTL_SECONDS) or a clear()/invalidate.
 * Hostile contents should cost one miss, not disable caching.
 */
import { randomUUID } from 'node:crypto';
import { CacheService, MemoryCacheStore, RedisCacheStore, silentLogger } from 'glasswork';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';

describe('an unreadable tag-state key', () => {
  it('under the generation key does not disable caching for good', async () => {
    const store = new MemoryCacheStore();
    await store.set('p#glasswork:generation', 'not a version', 60_000);
    const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });
    let loads = 0;
    for (let i = 0; i < 3; i++) await cache.wrap('k', 60, async () => ++loads);
    await new Promise((r) => setTimeout(r, 150));
    for (let i = 0; i < 3; i++) await cache.wrap('k', 60, async () => ++loads);
    expect(loads).toBeLessThanOrEqual(2);
  });

  it('under a tag key does not make the tag uncacheable for good', async () => {
    const store = new MemoryCacheStore();
    await store.set('p#glasswork:tag:t', '\u0000\uffff binary', 60_000);
    const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });
    let loads = 0;
    for (let i = 0; i < 4; i++) await cache.wrap('k', 60, async () => ++loads, { tags: ['t'] });
    expect(loads).toBeLessThanOrEqual(2);
  });

  it('on node-redis: a hash under a tag key (WRONGTYPE) makes the tag uncacheable for good', async () => {
    const raw = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
    await raw.connect();
    const p = `rv2${randomUUID()}`;
    const store = new RedisCacheStore({
      url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      driver: 'node-redis',
    });
    const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: p, logger: silentLogger });
    try {
      await raw.hSet(`${p}#glasswork:tag:t`, 'a', 'b');
      let loads = 0;
      for (let i = 0; i < 4; i++) await cache.wrap('k', 60, async () => ++loads, { tags: ['t'] });
      expect(loads).toBeLessThanOrEqual(2);
    } finally {
      await store.close();
      await raw.close();
    }
  });
});
