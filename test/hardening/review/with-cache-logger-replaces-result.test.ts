/**
 * withCache promises: "The handler's result and errors pass through unchanged: nothing
 * withCache does afterwards replaces them." Its own `logger` option is user code that is
 * not contained: a logger that throws (a closed log stream) or rejects replaces the
 * handler's result when draining is cut short by the deadline.
 */
import { CacheService, MemoryCacheStore, silentLogger, withCache } from 'glasswork';
import { afterEach, describe, expect, it } from 'vitest';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** A cache whose background refresh takes `ms`, and a stale entry that starts it. */
async function cacheWithSlowRefresh(ms: number) {
  const cache = new CacheService(new MemoryCacheStore(), {
    defaultTTL: 60,
    logger: silentLogger,
    refreshLease: false,
  });
  await cache.wrapSWR('k', 0.01, 60, () => 'v1');
  await new Promise((resolve) => setTimeout(resolve, 30));
  // A refresh started earlier (a previous invocation) and still running: loaders started
  // outside this invocation do not follow its deadline, so draining is cut short.
  const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('v2'), ms));
  expect(await cache.wrapSWR('k', 0.01, 60, slow)).toBe('v1');
  return { cache };
}

// 600 ms left: 100 ms to drain, less than the 400 ms refresh.
const lambdaContext = { getRemainingTimeInMillis: () => 600 };

describe('withCache and its logger', () => {
  it('a throwing logger does not replace the handler result', async () => {
    const { cache } = await cacheWithSlowRefresh(400);
    const broken = () => {
      throw new Error('log stream closed');
    };
    const handler = withCache(
      cache,
      async (_event: unknown, _context: unknown) => {
        return { statusCode: 200 };
      },
      { logger: { debug: broken, info: broken, warn: broken, error: broken } },
    );
    await expect(handler({}, lambdaContext)).resolves.toEqual({ statusCode: 200 });
    await cache.drain(2000);
  });

  it('a rejecting (async) logger does not cause an unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    const { cache } = await cacheWithSlowRefresh(400);
    const rejecting = async () => {
      throw new Error('log transport down');
    };
    const handler = withCache(
      cache,
      async (_event: unknown, _context: unknown) => {
        return 'ok';
      },
      { logger: { debug: rejecting, info: rejecting, warn: rejecting, error: rejecting } },
    );
    expect(await handler({}, lambdaContext)).toBe('ok');
    await cache.drain(2000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(unhandled).toEqual([]);
  });
});
