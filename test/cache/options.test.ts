/**
 * CacheService option checks: durations must fit a Node timer (2^31 − 1 ms; longer ones
 * fire after ~1 ms), and unknown keys are refused, with the near-miss named.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

const MAX_TIMER_MS = 2 ** 31 - 1;
const build = (options: object) =>
  new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger, ...options });
const invalidOption = (message: RegExp) =>
  expect.objectContaining({ code: 'E_INVALID_OPTION', message: expect.stringMatching(message) });

describe('CacheService duration options', () => {
  it.each(['storeTimeoutMs', 'delByPatternTimeoutMs', 'lockWaitMs', 'fnTimeoutMs'])(
    'refuses %s over 2^31 - 1 ms at construction, naming the limit',
    (name) => {
      expect(() => build({ [name]: 2 ** 31 })).toThrow(
        invalidOption(
          new RegExp(`^${name} must .*at most 2147483647 ms \\(~24.8 days\\), got 2147483648$`),
        ),
      );
      expect(() => build({ [name]: MAX_TIMER_MS })).not.toThrow();
    },
  );

  it.each(['lockWaitMs', 'fnTimeoutMs'])('refuses a per-call %s over 2^31 - 1 ms', async (name) => {
    const cache = build({});
    await expect(cache.wrap('k', 1, () => 1, { [name]: 2 ** 31 })).rejects.toThrow(
      invalidOption(new RegExp(`^${name} must .*at most 2147483647 ms`)),
    );
    await expect(cache.wrapSWR('k', 1, 2, () => 1, { [name]: 2 ** 32 })).rejects.toThrow(
      invalidOption(new RegExp(`^${name} must`)),
    );
  });

  it('refuses a drain timeout over 2^31 - 1 ms instead of giving up after ~1 ms', async () => {
    const cache = build({});
    await expect(cache.drain(2 ** 31)).rejects.toThrow(
      invalidOption(/^timeoutMs must .*at most 2147483647 ms/),
    );
    expect(await cache.drain(MAX_TIMER_MS)).toBe(true);
  });
});

describe('CacheService unknown options', () => {
  it.each([
    [
      { storeTimeoutMS: 10 },
      'unknown key "storeTimeoutMS" in CacheService options; did you mean "storeTimeoutMs"?',
    ],
    [
      { keyprefix: 'app' },
      'unknown key "keyprefix" in CacheService options; did you mean "keyPrefix"?',
    ],
    [
      { defaultTtl: 60 },
      'unknown key "defaultTtl" in CacheService options; did you mean "defaultTTL"?',
    ],
    [
      { serialiser: {} },
      'unknown key "serialiser" in CacheService options; did you mean "serializer"?',
    ],
    [
      { onEvnet: () => {} },
      'unknown key "onEvnet" in CacheService options; did you mean "onEvent"?',
    ],
    [
      { redis: {} },
      'unknown key "redis" in CacheService options; expected defaultTTL, keyPrefix, logger, serializer, storeTimeoutMs, delByPatternTimeoutMs, refreshLease, onEvent, waitUntil, l1, lock, lockWaitMs, staleIfError, fnTimeoutMs, fnHardTimeoutMs, backgroundRefresh',
    ],
  ])('refuses %j at construction', (options, message) => {
    expect(() => build(options)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION', message }),
    );
  });

  it('refuses unknown per-call options of wrap and wrapSWR, before calling fn', async () => {
    const cache = build({});
    let calls = 0;
    const fn = () => ++calls;
    await expect(cache.wrap('k', 1, fn, { lockWaitMS: 100 } as never)).rejects.toThrow(
      invalidOption(/^unknown key "lockWaitMS" in wrap options; did you mean "lockWaitMs"\?$/),
    );
    await expect(
      cache.wrapSWR('k', 1, 2, fn, { backgroundRefesh: false } as never),
    ).rejects.toThrow(
      invalidOption(
        /^unknown key "backgroundRefesh" in wrap options; did you mean "backgroundRefresh"\?$/,
      ),
    );
    await expect(cache.wrap('k', 1, fn, { keyPrefix: 'x' } as never)).rejects.toThrow(
      invalidOption(
        /^unknown key "keyPrefix" in wrap options; expected lock, lockWaitMs, staleIfError, fnTimeoutMs, fnHardTimeoutMs, backgroundRefresh, signal, tags \(other options are set on CacheService\)$/,
      ),
    );
    expect(calls).toBe(0);
  });

  it('escapes and cuts a hostile key in the message', () => {
    const key = `evil\n${'x'.repeat(100)}`;
    expect(() => build({ [key]: 1 })).toThrow(
      invalidOption(
        /^unknown key "evil\\nx{52}\.\.\." in CacheService options; expected defaultTTL/,
      ),
    );
  });

  it('accepts every documented option', () => {
    expect(() =>
      build({
        keyPrefix: 'app',
        serializer: { serialize: JSON.stringify, deserialize: JSON.parse },
        storeTimeoutMs: 100,
        delByPatternTimeoutMs: 100,
        refreshLease: false,
        onEvent: () => {},
        lock: true,
        lockWaitMs: 100,
        staleIfError: 10,
        fnTimeoutMs: 10,
        backgroundRefresh: false,
      }),
    ).not.toThrow();
  });
});
