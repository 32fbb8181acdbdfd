/**
 * WrapOptions.signal: "When every caller of a computation has given up, the loader's own
 * signal aborts." A `wrapSWR` miss follows that; an inline refresh of a stale entry
 * (`backgroundRefresh: false`) does not: the only caller aborts, is released, and the
 * loader runs on with a signal that never aborts (the refresh runs outside the flight).
 */
import { CacheService, type LoaderContext, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});

describe('every caller of an inline refresh gives up', () => {
  it("aborts the loader's signal, as it does on a miss", async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const signals: AbortSignal[] = [];
    const slow = ({ signal }: LoaderContext<unknown>) => {
      signals.push(signal);
      return new Promise<string>((resolve) => setTimeout(() => resolve('v'), 1_000));
    };
    const options = (signal: AbortSignal) => ({ backgroundRefresh: false, signal });

    // A miss: the lone caller gives up, the loader is told.
    const miss = new AbortController();
    const first = cache.wrapSWR('k', 10, 600, slow, options(miss.signal));
    first.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    miss.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals[0]?.aborted).toBe(true);

    await cache.wrapSWR('k', 10, 600, () => 'v0');
    await vi.advanceTimersByTimeAsync(20_000); // stale

    // An inline refresh: the lone caller gives up the same way.
    const stale = new AbortController();
    const second = cache.wrapSWR('k', 10, 600, slow, options(stale.signal));
    second.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    stale.abort();
    await vi.advanceTimersByTimeAsync(0);
    await expect(second).rejects.toThrow();
    expect(signals).toHaveLength(2);
    expect(signals[1]?.aborted).toBe(true);
  });
});
