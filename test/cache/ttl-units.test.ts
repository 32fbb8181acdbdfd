import { CacheService, MemoryCacheStore } from 'glasswork';
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/recording-logger.js';

describe('TTLs that look like milliseconds', () => {
  it('warns once per argument, and still takes the TTL as seconds', async () => {
    const logger = recordingLogger();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 300_000, logger });
    await cache.wrapSWR('flags', 60_000, 300_000, () => 1);
    await cache.wrapSWR('flags', 60_000, 300_000, () => 1);
    await cache.set('k', 1, 120_000);
    await cache.set('k', 1, 120_000);
    expect(logger.lines.map((line) => line.message)).toEqual([
      'defaultTTL is 300000 seconds (3.5 days); TTLs are in seconds: did you mean 300 (300000 ms)? (logged once)',
      'staleTTL is 60000 seconds (0.7 days); TTLs are in seconds: did you mean 60 (60000 ms)? (logged once)',
      'maxTTL is 300000 seconds (3.5 days); TTLs are in seconds: did you mean 300 (300000 ms)? (logged once)',
      'ttl is 120000 seconds (1.4 days); TTLs are in seconds: did you mean 120 (120000 ms)? (logged once)',
    ]);
  });

  it('says nothing about TTLs that read as seconds', async () => {
    const logger = recordingLogger();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 86_400, logger });
    await cache.set('a', 1, 604_800); // a week
    await cache.set('b', 1, 30);
    await cache.wrapSWR('c', 3600, 86_400, () => 1);
    expect(logger.lines).toEqual([]);
  });
});
