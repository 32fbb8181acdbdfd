/**
 * One background refresh whose loader never settles (a socket that died silently, e.g.
 * across a Lambda freeze; `fnHardTimeoutMs` defaults to no limit) holds the key's "refresh
 * running" slot in this instance forever: the refresh lease in the store expires after
 * 10 s, but this instance never refreshes the key again. Readers get the stale value until
 * `maxTTL`, every cycle after that too, and `drain()` never completes.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a background refresh that never settles', () => {
  it('does not stop later refreshes of the key', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
      // Isolates this instance's own bookkeeping; with leases on, the store lease expires
      // after 10 s and the local slot still blocks.
      refreshLease: false,
    });
    await cache.wrapSWR('flags', 0.05, 3600, () => 'v1');
    await sleep(80);
    // This refresh hangs.
    expect(await cache.wrapSWR('flags', 0.05, 3600, () => new Promise<string>(() => {}))).toBe('v1');
    // Later, the upstream is healthy again.
    await sleep(200);
    let loads = 0;
    const healthy = () => {
      loads++;
      return 'v2';
    };
    for (let i = 0; i < 5; i++) {
      await cache.wrapSWR('flags', 0.05, 3600, healthy);
      await sleep(20);
    }
    expect(loads).toBeGreaterThan(0);
    expect(await cache.get('flags')).toBe('v2');
  });
});
