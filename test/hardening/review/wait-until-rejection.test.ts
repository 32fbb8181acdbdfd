/**
 * `waitUntil` is user code: "A throwing waitUntil is logged and ignored". An async
 * waitUntil (or one that forwards to a platform call returning a promise) that rejects
 * must not become an unhandled rejection, which crashes Node by default.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it } from 'vitest';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('a rejecting waitUntil', () => {
  it('is contained like a throwing one', async () => {
    process.on('unhandledRejection', onUnhandled);
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
      refreshLease: false,
      // e.g. a platform context already closed: its waitUntil rejects.
      waitUntil: async () => {
        throw new Error('request context is gone');
      },
    });
    await cache.wrapSWR('k', 0.01, 60, () => 'v1');
    await new Promise((resolve) => setTimeout(resolve, 30)); // stale now
    expect(await cache.wrapSWR('k', 0.01, 60, () => 'v2')).toBe('v1'); // background refresh
    expect(await cache.drain(1000)).toBe(true);
    await settle();
    expect(unhandled).toEqual([]);
  });
});
