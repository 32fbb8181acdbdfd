/**
 * Listeners, loggers and serializers are user code running inside cache calls: whatever
 * they throw or reject never changes a call's outcome or reaches the process.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
  vi.restoreAllMocks();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('user code inside cache calls', () => {
  it('contains a rejecting async event listener', async () => {
    process.on('unhandledRejection', onUnhandled);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: silentLogger,
      onEvent: async () => {
        throw new Error('listener bug');
      },
    });
    cache.on('hit', async () => Promise.reject(new Error('another listener bug')));
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(await cache.wrap('w', () => 2)).toBe(2);
    await settle();
    expect(unhandled).toEqual([]);
    // Reported, once a minute at most, with the class only.
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(String(consoleError.mock.calls[0]![0])).toMatch(
      /a cache event listener threw Error; ignored/,
    );
  });

  it('contains a throwing or rejecting logger on every path that logs', async () => {
    process.on('unhandledRejection', onUnhandled);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = new ChaosStore(new MemoryCacheStore());
    const throwing = () => {
      throw new Error('logger bug');
    };
    const rejecting = async () => {
      throw new Error('async logger bug');
    };
    for (const logger of [
      { debug: throwing, info: throwing, warn: throwing, error: throwing },
      { debug: rejecting, info: rejecting, warn: rejecting, error: rejecting },
    ]) {
      const cache = new CacheService(store, { defaultTTL: 10, logger });
      await cache.set('k', 'v');
      store.mode('fail', 'get');
      expect(await cache.get('k')).toBeUndefined(); // the store failure is logged
      store.mode('ok');
      expect(await cache.wrap('k2', () => 'computed')).toBe('computed');
      await store.inner.set('bad', 'not an envelope', 10_000);
      expect(await cache.get('bad')).toBeUndefined(); // the malformed entry is logged
      expect(await cache.wrap('n', () => ({ n: 1n }))).toEqual({ n: 1n }); // not cached, logged
    }
    await settle();
    expect(unhandled).toEqual([]);
  });

  it("never logs a custom serializer's message, which may echo the value", async () => {
    const lines: string[] = [];
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 10,
      logger: { ...silentLogger, error: (message: string) => lines.push(message) },
      serializer: {
        serialize: (value) => {
          throw new TypeError(`cannot serialize ${JSON.stringify(value)}`);
        },
        deserialize: (payload) => payload,
      },
    });
    const error = await cache.set('k', { secret: 'hunter2' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('value for key "k" cannot be serialized: TypeError');
    expect(await cache.wrap('w', () => ({ secret: 'hunter2' }))).toEqual({ secret: 'hunter2' });
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});
