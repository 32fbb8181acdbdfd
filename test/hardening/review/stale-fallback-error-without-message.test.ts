/**
 * A loader that fails with an Error whose `message` is not a string (e.g. `err.message =
 * body.message` when the body had none) must still get the stale value stale-if-error
 * promises; formatting the log line must not turn the fallback into a TypeError.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

function upstreamError(): Error {
  const error = new Error('upstream failed');
  // What `error.message = response.body.message` does when the body has no message.
  (error as { message: unknown }).message = undefined;
  return error;
}

describe('stale fallbacks with a loader error whose message is undefined', () => {
  it('wrap with staleIfError serves the expired value', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    expect(await cache.wrap('k', 1, () => 'old', { staleIfError: 600 })).toBe('old');
    vi.setSystemTime(Date.now() + 5_000); // expired, inside the stale-if-error window
    const outcome = cache.wrap(
      'k',
      1,
      () => {
        throw upstreamError();
      },
      { staleIfError: 600 },
    );
    await expect(outcome).resolves.toBe('old');
  });

  it('wrapSWR with an inline refresh serves the stale value', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
      refreshLease: false,
    });
    expect(await cache.wrapSWR('s', 1, 600, () => 'old')).toBe('old');
    vi.setSystemTime(Date.now() + 5_000); // stale, not expired
    const outcome = cache.wrapSWR(
      's',
      1,
      600,
      () => {
        throw upstreamError();
      },
      { backgroundRefresh: false },
    );
    await expect(outcome).resolves.toBe('old');
  });
});
