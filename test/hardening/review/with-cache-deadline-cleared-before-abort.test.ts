/**
 * Under withCache, loaders' signals abort shortly before the invocation's deadline, so a
 * hung background refresh settles by the end of the invocation. But withCache clears the
 * deadline timer right after draining, and draining gives up at the same instant the
 * deadline timer is due: whenever the drain's timer fires first (about half the time
 * here), the deadline never aborts and the hung refresh stays tracked forever. Every later
 * invocation then drains until its own deadline: each one runs for its whole timeout.
 */
import { CacheService, MemoryCacheStore, silentLogger, withCache } from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A Lambda context for an invocation with `ms` left, read from a fixed deadline. */
const lambdaContext = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};

describe('withCache and a refresh that never settles on its own', () => {
  it('the invocation that started it ends it (its loader signal aborts), every time', async () => {
    const leftRunning: number[] = [];
    for (let attempt = 0; attempt < 16; attempt++) {
      const cache = new CacheService(new MemoryCacheStore(), {
        defaultTTL: 60,
        logger: silentLogger,
        refreshLease: false,
      });
      await cache.wrapSWR('k', 0.01, 60, () => 'v1');
      await sleep(20); // stale
      const handler = withCache(
        cache,
        async (_event: unknown, _context: unknown) => {
          // An upstream call on a connection that died: it never answers, whatever the signal.
          await cache.wrapSWR('k', 0.01, 60, () => new Promise<string>(() => {}));
          return 'ok';
        },
        { logger: silentLogger },
      );
      expect(await handler({}, lambdaContext(600))).toBe('ok');
      await sleep(10);
      if (cache.stats().background > 0) {
        leftRunning.push(attempt);
        // The next invocation does nothing, yet runs until its deadline.
        const next = withCache(cache, async (_event: unknown, _context: unknown) => 'ok', {
          logger: silentLogger,
        });
        const started = performance.now();
        await next({}, lambdaContext(1500));
        const tookMs = performance.now() - started;
        expect({ attempt, backgroundAfterFirst: 1, nextInvocationMs: Math.round(tookMs) }).toEqual({
          attempt,
          backgroundAfterFirst: 0,
          nextInvocationMs: expect.any(Number),
        });
      }
    }
    expect(leftRunning).toEqual([]);
  });
});
