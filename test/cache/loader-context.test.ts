/**
 * The loader's context: its signal (per-caller aborts, abandonment, fnHardTimeoutMs, the
 * withCache deadline), the stale value, and setTTL. On Vitest's fake clock.
 */
import {
  CacheService,
  type LoaderContext,
  MemoryCacheStore,
  silentLogger,
  withCache,
} from 'glasswork';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settled } from '../helpers/settled.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const create = (options: { fnHardTimeoutMs?: number } = {}) => {
  const store = new MemoryCacheStore();
  return {
    store,
    cache: new CacheService(store, { defaultTTL: 60, logger: silentLogger, ...options }),
  };
};

/** A loader that resolves after `ms` on the fake clock and records the signal it got. */
function slowLoader(ms: number, value: unknown = 'v') {
  const seen: { signal?: AbortSignal; calls: number; abortedAtMs?: number } = { calls: 0 };
  const loader = async ({ signal }: LoaderContext<unknown>) => {
    seen.calls++;
    seen.signal = signal;
    signal.addEventListener('abort', () => {
      seen.abortedAtMs = Date.now();
    });
    await sleep(ms);
    return value;
  };
  return { loader, seen };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('loader signal: callers giving up', () => {
  it('999 of 1,000 coalesced callers abort: each is released at once, the loader runs on and the last caller gets the value', async () => {
    const { cache } = create();
    const { loader, seen } = slowLoader(100, { id: 1 });
    const controllers = Array.from({ length: 1000 }, () => new AbortController());
    const calls = controllers.map((controller) =>
      cache.wrap('k', 60, loader, { signal: controller.signal }),
    );
    const outcomes = calls.map((call) => settled(call));
    await vi.advanceTimersByTimeAsync(10);
    for (const controller of controllers.slice(0, 999)) controller.abort(new Error('client left'));
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes.slice(0, 999).every((done) => done())).toBe(true);
    await expect(calls[0]).rejects.toThrow('client left');
    expect(outcomes[999]!()).toBe(false);
    expect(seen.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(90);
    expect(await calls[999]).toEqual({ id: 1 });
    expect(seen.calls).toBe(1);
    expect(seen.signal?.aborted).toBe(false);
    expect(await cache.get('k')).toEqual({ id: 1 });
    await Promise.allSettled(calls);
  });

  it('all 1,000 abort: the loader signal aborts at once and nothing is cached', async () => {
    const { cache } = create();
    const { loader, seen } = slowLoader(100);
    const controllers = Array.from({ length: 1000 }, () => new AbortController());
    const calls = controllers.map((controller) =>
      cache.wrap('k', 60, loader, { signal: controller.signal }),
    );
    for (const call of calls) call.catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    const abortAt = Date.now();
    for (const controller of controllers) controller.abort(new Error('gone'));
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.abortedAtMs! - abortAt).toBeLessThanOrEqual(5);
    expect(seen.signal!.reason).toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().inFlight).toBe(0);
    // The next caller starts afresh.
    const again = cache.wrap('k', 60, async () => 'fresh');
    expect(await again).toBe('fresh');
  });

  it("a call abandoned while it waits for another instance's lock loads nothing", async () => {
    const store = new MemoryCacheStore();
    const winner = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const waiter = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const winning = winner.wrap('k', 60, () => sleep(5000).then(() => 'winner'), { lock: true });
    await vi.advanceTimersByTimeAsync(1);
    const loader = vi.fn(() => 'waiter');
    const controller = new AbortController();
    const waiting = waiter.wrap('k', 60, loader, {
      lock: true,
      lockWaitMs: 1000,
      signal: controller.signal,
    });
    waiting.catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('left'));
    await expect(waiting).rejects.toThrow('left');
    await vi.advanceTimersByTimeAsync(1500); // past lockWaitMs: the abandoned call gives up
    expect(loader).not.toHaveBeenCalled();
    expect(waiter.stats().inFlight).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await winning).toBe('winner');
  });

  it('a caller without a signal keeps the loader running when every other caller aborts', async () => {
    const { cache } = create();
    const { loader, seen } = slowLoader(50);
    const patient = cache.wrap('k', 60, loader);
    const controller = new AbortController();
    const impatient = cache.wrap('k', 60, loader, { signal: controller.signal });
    impatient.catch(() => {});
    controller.abort();
    await vi.advanceTimersByTimeAsync(50);
    expect(seen.signal?.aborted).toBe(false);
    expect(await patient).toBe('v');
    await expect(impatient).rejects.toBeInstanceOf(DOMException);
  });

  it('rejects at once with the reason of a signal aborted before the call', async () => {
    const { cache } = create();
    const loader = vi.fn(() => 'v');
    const reason = new Error('already gone');
    await expect(cache.wrap('k', 60, loader, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(loader).not.toHaveBeenCalled();
  });

  it('refuses a signal that is not an AbortSignal', async () => {
    const { cache } = create();
    await expect(
      cache.wrap('k', 60, () => 1, { signal: { aborted: false } as unknown as AbortSignal }),
    ).rejects.toMatchObject({ code: 'E_INVALID_OPTION' });
  });
});

describe('fnHardTimeoutMs', () => {
  it('aborts the loader signal and rejects with a TimeoutError; a late result is not cached', async () => {
    const { cache } = create({ fnHardTimeoutMs: 100 });
    let signal: AbortSignal | undefined;
    const call = cache.wrap('k', 60, async (context) => {
      signal = context.signal;
      await sleep(500); // ignores its signal
      return 'late';
    });
    const done = settled(call);
    await vi.advanceTimersByTimeAsync(99);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(400);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('per call overrides the service; a stale value stands in with staleIfError', async () => {
    const { cache } = create({ fnHardTimeoutMs: 1000 });
    await cache.wrap('k', 1, () => 'old', { staleIfError: 60 });
    await vi.advanceTimersByTimeAsync(1500);
    const call = cache.wrap('k', 1, () => sleep(500).then(() => 'new'), {
      staleIfError: 60,
      fnHardTimeoutMs: 50,
    });
    await vi.advanceTimersByTimeAsync(50);
    expect(await call).toBe('old');
  });

  it('clears its timer when the loader finishes in time', async () => {
    const { cache } = create({ fnHardTimeoutMs: 100 });
    expect(await cache.wrap('k', 60, () => 'v')).toBe('v');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('loader signal under withCache', () => {
  it('aborts shortly before the Lambda deadline', async () => {
    const { cache } = create();
    const deadlineAt = Date.now() + 3000;
    const lambdaContext = { getRemainingTimeInMillis: () => deadlineAt - Date.now() };
    let signal: AbortSignal | undefined;
    const handler = withCache(cache, async (_event: unknown, _context: typeof lambdaContext) =>
      cache.wrap('k', 60, async (context) => {
        signal = context.signal;
        await new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(context.signal.reason)),
        );
        return 'never';
      }),
    );
    const responding = handler({}, lambdaContext);
    responding.catch(() => {});
    await vi.advanceTimersByTimeAsync(2499);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signal?.aborted).toBe(true);
    await expect(responding).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now()).toBeLessThan(deadlineAt);
  });

  it('also aborts a background refresh the invocation started', async () => {
    const { cache } = create();
    await cache.wrapSWR('k', 1, 60, () => 'old');
    await vi.advanceTimersByTimeAsync(2000);
    const deadlineAt = Date.now() + 1000;
    const lambdaContext = { getRemainingTimeInMillis: () => deadlineAt - Date.now() };
    let signal: AbortSignal | undefined;
    const handler = withCache(cache, (_event: unknown, _context: typeof lambdaContext) =>
      cache.wrapSWR('k', 1, 60, async (context) => {
        signal = context.signal;
        await sleep(5000);
        return 'new';
      }),
    );
    const responding = handler({}, lambdaContext);
    await vi.advanceTimersByTimeAsync(500);
    expect(await responding).toBe('old');
    expect(signal?.aborted).toBe(true);
  });

  it('leaves loaders outside withCache alone', async () => {
    const { cache } = create();
    const { loader, seen } = slowLoader(10_000);
    const call = cache.wrap('k', 60, loader);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await call).toBe('v');
    expect(seen.signal?.aborted).toBe(false);
  });
});

describe('stale', () => {
  it('is undefined on a cold miss, the stale value in a wrapSWR refresh', async () => {
    const { cache } = create();
    const stales: unknown[] = [];
    const loader = ({ stale }: LoaderContext<number>) => {
      stales.push(stale);
      return (stale ?? 0) + 1;
    };
    expect(await cache.wrapSWR('k', 1, 60, loader)).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await cache.wrapSWR('k', 1, 60, loader)).toBe(1);
    await cache.drain();
    expect(await cache.get('k')).toBe(2);
    expect(stales).toEqual([undefined, 1]);
  });

  it('is the expired value wrap keeps for staleIfError', async () => {
    const { cache } = create();
    await cache.wrap('k', 1, () => 'first', { staleIfError: 60 });
    await vi.advanceTimersByTimeAsync(1500);
    let stale: unknown;
    await cache.wrap(
      'k',
      1,
      (context) => {
        stale = context.stale;
        return 'second';
      },
      { staleIfError: 60 },
    );
    expect(stale).toBe('first');
  });
});

describe('setTTL', () => {
  it('caches the result for the TTL the loader chose (memory store)', async () => {
    const { cache, store } = create();
    await cache.wrap('k', 600, ({ setTTL }) => {
      setTTL(30);
      return 'token';
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(await cache.get('k')).toBe('token');
    expect(await store.get('k')).toBeDefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(await store.get('k')).toBeUndefined();
  });

  it('throws E_INVALID_TTL for a bad TTL; a loader that catches it is cached with the call TTL', async () => {
    const { cache } = create();
    const failing = cache.wrap('a', 600, ({ setTTL }) => {
      setTTL(-10);
      return 'never';
    });
    await expect(failing).rejects.toMatchObject({ code: 'E_INVALID_TTL' });
    expect(await cache.get('a')).toBeUndefined();
    await cache.wrap('b', 600, ({ setTTL }) => {
      try {
        setTTL(0);
      } catch {}
      return 'kept';
    });
    await vi.advanceTimersByTimeAsync(599_000);
    expect(await cache.get('b')).toBe('kept');
  });

  it('sets maxTTL for wrapSWR; staleTTL stays', async () => {
    const { cache } = create();
    let n = 0;
    const loader = ({ setTTL }: LoaderContext<number>) => {
      setTTL(20);
      return ++n;
    };
    await cache.wrapSWR('k', 10, 300, loader);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(await cache.wrapSWR('k', 10, 300, loader)).toBe(1); // fresh
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await cache.wrapSWR('k', 10, 300, loader)).toBe(1); // stale, refreshing
    await cache.drain();
    expect(n).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await cache.get('k')).toBeUndefined(); // gone after 20 s, not 300
  });

  it('has no effect after the loader settled', async () => {
    const { cache } = create();
    let later: ((seconds: number) => void) | undefined;
    await cache.wrap('k', 60, ({ setTTL }) => {
      later = setTTL;
      return 'v';
    });
    later!(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await cache.get('k')).toBe('v');
  });
});

describe('waitUntil', () => {
  it('receives every background task; a throwing waitUntil is reported and contained', async () => {
    const handed: Promise<unknown>[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
      waitUntil: (promise) => {
        handed.push(promise);
        throw new Error('no platform here');
      },
    });
    await cache.wrapSWR('k', 1, 60, () => 1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await cache.wrapSWR('k', 1, 60, () => sleep(10).then(() => 2))).toBe(1);
    expect(handed).toHaveLength(1);
    expect(String(consoleError.mock.calls.at(-1)?.[0])).toMatch(/a waitUntil threw Error; ignored/);
    consoleError.mockRestore();
    await vi.advanceTimersByTimeAsync(10);
    await handed[0];
    expect(await cache.get('k')).toBe(2);
    expect(cache.stats().background).toBe(0);
  });

  it('refuses a waitUntil that is not a function', () => {
    expect(
      () =>
        new CacheService(new MemoryCacheStore(), {
          defaultTTL: 60,
          waitUntil: 'later' as unknown as () => void,
        }),
    ).toThrow(/waitUntil must be a function/);
  });
});
