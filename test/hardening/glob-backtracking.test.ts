/**
 * Patterns with several stars against long keys must not block the event loop: every store
 * that matches in process (memory here; DynamoDB and Redis's client-side filter share
 * `compileGlob`) finishes in linear time per star.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

describe('delByPattern with a backtracking-prone pattern', () => {
  it('memory: *-*-*-*-?end over long keys finishes at once', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const long = 'a-'.repeat(5000);
    for (let i = 0; i < 10; i++) await cache.set(`${long}${i}`, i);
    await cache.set(`${long}xend`, 'match');
    const started = performance.now();
    expect(await cache.delByPattern('*-*-*-*-?end')).toBe(1);
    // A guard against exponential time, not a benchmark.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await cache.get(`${long}0`)).toBe(0);
  });
});
