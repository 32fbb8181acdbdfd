/**
 * Containment of user code reads `error.name` of what a listener threw, outside any
 * guard: an error whose `name` getter throws (a Proxy, a lazily-computed name on a
 * foreign error class) escapes containment. Thrown synchronously it turns a cache hit
 * into a rejection; rejected asynchronously it becomes an unhandled rejection.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
});

class HostileError extends Error {
  override get name(): string {
    throw new Error('name is not available');
  }
}

describe('user code failing with an error whose name getter throws', () => {
  it('does not change the outcome of get', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.set('k', 1);
    cache.on('hit', () => {
      throw new HostileError('listener bug');
    });
    await expect(cache.get('k')).resolves.toBe(1);
  });

  it('a rejecting logger does not become an unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const rejecting = async () => {
      throw new HostileError('async logger bug');
    };
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, {
      defaultTTL: 60,
      logger: { debug: rejecting, info: rejecting, warn: rejecting, error: rejecting },
    });
    await store.set('k', 'not an envelope', 60_000);
    expect(await cache.get('k')).toBeUndefined(); // logs a warning: malformed entry
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(unhandled).toEqual([]);
  });
});
