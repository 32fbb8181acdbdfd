/**
 * `wrap(..., { lock: true })` fences the lock holder's write on what its read saw. A read
 * that found an entry it cannot use as a glasswork envelope (a payload from an older
 * format or another client, or a Redis value over `maxValueBytes`) is treated as "absent",
 * so the write is `setIfAbsent`, which the unreadable entry refuses: the key is never
 * cached again, and every call runs the loader (until that payload expires, if ever).
 * Without `lock` the same call repairs the key.
 */
import { CacheService, MemoryCacheStore, RedisCacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `review-lock-${process.pid}-${Date.now()}`;

describe('lock: true over an entry the read cannot use', () => {
  it('memory store: a non-envelope payload makes the key uncacheable', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    await store.set('user:1', '{"name":"from the previous release"}', 3_600_000);
    let loads = 0;
    const loader = () => {
      loads++;
      return { name: 'fresh' };
    };
    for (let i = 0; i < 3; i++) {
      expect(await cache.wrap('user:1', 60, loader, { lock: true })).toEqual({ name: 'fresh' });
    }
    // The first call should have replaced the unusable payload; the next two are hits.
    expect(loads).toBe(1);
    expect(await cache.get('user:1')).toEqual({ name: 'fresh' });
  });

  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const store = new RedisCacheStore({ url: REDIS_URL, maxValueBytes: 1024 });
  afterAll(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('redis: a value over maxValueBytes (written before the limit was lowered) is never replaced', async () => {
    const cache = new CacheService(store, {
      defaultTTL: 60,
      logger: silentLogger,
      keyPrefix: prefix,
    });
    const key = `${prefix}:report`;
    // An entry written by an instance with the default 16 MiB limit, valid for an hour.
    const big = new CacheService(new RedisCacheStore({ url: REDIS_URL }), {
      defaultTTL: 3600,
      logger: silentLogger,
      keyPrefix: prefix,
    });
    await big.set('report', 'x'.repeat(4096));
    await big.store.close?.();
    let loads = 0;
    const loader = () => {
      loads++;
      return 'small';
    };
    for (let i = 0; i < 3; i++) {
      expect(await cache.wrap('report', 60, loader, { lock: true })).toBe('small');
    }
    expect(loads).toBe(1);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(60_000);
  });
});
