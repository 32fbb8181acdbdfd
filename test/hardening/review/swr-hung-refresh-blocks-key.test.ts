/**
 * One background refresh whose loader never settles (a socket that died silently, e.g.
 * across a Lambda freeze; `fnHardTimeoutMs` defaults to no limit) holds the key's "refresh
 * running" slot in this instance forever. Ten minutes later, with a healthy upstream, the
 * key is still never refreshed: readers get the hour-old stale value until `maxTTL`, in
 * every cycle after that too, and `drain()` never completes. (The refresh lease in the
 * store, by contrast, lasts at most 30 s.)
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

describe('a background refresh that never settles', () => {
  it('does not stop refreshes of the key ten minutes later', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrapSWR('flags', 10, 3600, () => 'v1');
    await vi.advanceTimersByTimeAsync(20_000); // stale
    // This refresh hangs.
    expect(await cache.wrapSWR('flags', 10, 3600, () => new Promise<string>(() => {}))).toBe('v1');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    let loads = 0;
    const healthy = () => {
      loads++;
      return 'v2';
    };
    expect(await cache.wrapSWR('flags', 10, 3600, healthy)).toBe('v1'); // stale, refreshes
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loads).toBe(1);
    expect(await cache.get('flags')).toBe('v2');
  });
});
