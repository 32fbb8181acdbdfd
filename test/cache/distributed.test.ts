/**
 * Leases and the opt-in lock, with several CacheService instances sharing one store
 * (what separate processes sharing Redis or DynamoDB look like to the service).
 * The multi-process versions against real servers are in test/multi-process/.
 * Every test runs on Vitest's fake clock: the memory store's expiry follows `Date.now()`,
 * and loaders, lock polls and lease waits use `setTimeout`.
 */
import { CacheService, type CacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';
import { minimalStore } from '../helpers/minimal-store.js';
import { settled } from '../helpers/settled.js';

const instances = (store: CacheStore, count: number, options: object = {}) =>
  Array.from(
    { length: count },
    () => new CacheService(store, { defaultTTL: 60, logger: silentLogger, ...options }),
  );
/** Resolves after `ms` on the fake clock, once a test advances it. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SWR refresh lease', () => {
  it('lets one of several instances refresh a stale key', async () => {
    const store = new MemoryCacheStore();
    const caches = instances(store, 4);
    let calls = 0;
    const fn = async () => {
      calls++;
      await sleep(20);
      return `v${calls}`;
    };
    const loading = caches[0]!.wrapSWR('k', 0.05, 60, fn);
    await vi.advanceTimersByTimeAsync(20); // the loader
    expect(await loading).toBe('v1');
    await vi.advanceTimersByTimeAsync(60); // past the 50 ms fresh window
    const served = await Promise.all(caches.map((cache) => cache.wrapSWR('k', 0.05, 60, fn)));
    expect(served).toEqual(['v1', 'v1', 'v1', 'v1']);
    const drained = Promise.all(caches.map((cache) => cache.drain()));
    await vi.advanceTimersByTimeAsync(20); // the one refresh
    await drained;
    expect(calls).toBe(2);
    expect(await caches[3]!.wrapSWR('k', 0.05, 60, fn)).toBe('v2');
    for (const cache of caches) {
      expect(cache.stats()).toMatchObject({ inFlight: 0, background: 0, leasesHeld: 0 });
    }
  });

  it('does not refresh again when another instance refreshed after our stale read', async () => {
    const store = new MemoryCacheStore();
    const [a, b] = instances(store, 2);
    let calls = 0;
    const fn = async () => `v${++calls}`;
    await a!.wrapSWR('k', 0.05, 60, fn);
    await vi.advanceTimersByTimeAsync(60); // past the 50 ms fresh window
    await a!.wrapSWR('k', 0.05, 60, fn);
    await a!.drain(); // a refreshed: v2
    // b's stale read raced with a's refresh: it takes the free lease, re-reads, finds v2 fresh.
    const read = store.get.bind(store);
    let first = true;
    store.get = async (key) => {
      if (first && key === 'k') {
        first = false;
        return (await read(key))!.replace(/^gw2:[0-9a-z]+/, 'gw2:0'); // looks created at epoch: stale
      }
      return read(key);
    };
    expect(await b!.wrapSWR('k', 0.05, 60, fn)).toBe('v2');
    await b!.drain();
    expect(calls).toBe(2);
  });

  it('can be turned off', async () => {
    const store = new ChaosStore();
    const [cache] = instances(store, 1, { refreshLease: false });
    await cache!.wrapSWR('k', 0.01, 60, () => 1);
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    await cache!.wrapSWR('k', 0.01, 60, () => 2);
    await cache!.drain();
    expect(store.calls.setIfAbsent).toBe(1); // the service's first generation, no lease
    expect(await cache!.get('k')).toBe(2);
  });

  it('refreshes without a lease when the store has no setIfAbsent', async () => {
    const [cache] = instances(minimalStore(), 1);
    await cache!.wrapSWR('k', 0.01, 60, () => 1);
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    await cache!.wrapSWR('k', 0.01, 60, () => 2);
    await cache!.drain();
    expect(await cache!.get('k')).toBe(2);
  });

  it('keeps lease keys out of every prefix and releases them after the refresh', async () => {
    const store = new MemoryCacheStore();
    const [cache] = instances(store, 1, { keyPrefix: 'app' });
    await cache!.wrapSWR('k', 0.01, 60, () => 1);
    await vi.advanceTimersByTimeAsync(20); // past the 10 ms fresh window
    await cache!.wrapSWR('k', 0.01, 60, () => 2);
    await cache!.drain();
    expect(store.size).toBe(2); // the entry and the service's generation, no lease
    expect(await store.has('app:k')).toBe(true);
    expect(await store.has('app#glasswork:generation')).toBe(true);
  });
});

describe('lock (cross-instance single-flight for wrap)', () => {
  it('runs the loader once for 4 instances x 250 callers on a cold key', async () => {
    const store = new MemoryCacheStore();
    const caches = instances(store, 4, { lock: true });
    let calls = 0;
    const fn = async () => {
      calls++;
      await sleep(50);
      return { computedBy: calls };
    };
    const all = Promise.all(
      caches.flatMap((cache) => Array.from({ length: 250 }, () => cache.wrap('cold', fn))),
    );
    await vi.advanceTimersByTimeAsync(50); // the loader
    await vi.runAllTimersAsync(); // the waiting instances' next polls find the value
    const results = await all;
    expect(calls).toBe(1);
    expect(results.every((r) => r.computedBy === 1)).toBe(true);
    const waits = caches.map((cache) => cache.stats().lockWaits);
    expect(waits.filter((n) => n > 0)).toHaveLength(3);
    for (const cache of caches) {
      expect(cache.stats()).toMatchObject({ inFlight: 0, background: 0, leasesHeld: 0 });
    }
    expect(await store.has('__glasswork:lease:cold')).toBe(false);
  });

  it('is per call too', async () => {
    const store = new MemoryCacheStore();
    const caches = instances(store, 3);
    let calls = 0;
    const fn = async () => {
      calls++;
      await sleep(30);
      return 'v';
    };
    const all = Promise.all(caches.map((cache) => cache.wrap('k', 10, fn, { lock: true })));
    await vi.advanceTimersByTimeAsync(30); // the loader
    await vi.runAllTimersAsync(); // the waiting instances' next polls find the value
    await all;
    expect(calls).toBe(1);
  });

  it('computes locally after lockWaitMs when the holder takes too long', async () => {
    const store = new MemoryCacheStore();
    const [a, b] = instances(store, 2, { lock: true });
    let release: (value: string) => void = () => {};
    const slow = () =>
      new Promise<string>((resolve) => {
        release = resolve;
      });
    const first = a!.wrap('k', slow);
    await vi.advanceTimersByTimeAsync(5); // a takes the lease
    const second = b!.wrap('k', 10, async () => 'b computed', { lockWaitMs: 100 });
    const secondSettled = settled(second);
    await vi.advanceTimersByTimeAsync(99);
    expect(secondSettled()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(secondSettled()).toBe(true);
    expect(await second).toBe('b computed');
    release('a computed');
    expect(await first).toBe('a computed');
  });

  it('takes over promptly when the holder fails', async () => {
    const store = new MemoryCacheStore();
    const [a, b] = instances(store, 2, { lock: true, lockWaitMs: 5000 });
    const failing = async () => {
      await sleep(30);
      throw new Error('upstream down');
    };
    const first = a!.wrap('k', failing);
    const firstRejects = expect(first).rejects.toThrow('upstream down');
    await vi.advanceTimersByTimeAsync(5); // a takes the lease
    const second = b!.wrap('k', async () => 'b computed');
    const secondSettled = settled(second);
    // a fails 25 ms later; b takes over well within its 5 s lockWaitMs.
    await vi.advanceTimersByTimeAsync(999);
    expect(secondSettled()).toBe(true);
    await firstRejects;
    expect(await second).toBe('b computed');
  });

  it('falls back to computing when the store fails', async () => {
    const store = new ChaosStore().mode('fail', 'setIfAbsent');
    const [cache] = instances(store, 1, { lock: true });
    expect(await cache!.wrap('k', () => 'v')).toBe('v');
    expect(await cache!.get('k')).toBe('v');
  });

  it('validates its options', async () => {
    const [cache] = instances(new MemoryCacheStore(), 1);
    await expect(cache!.wrap('k', 1, () => 1, { lockWaitMs: -1 })).rejects.toThrow(/lockWaitMs/);
    await expect(cache!.wrap('k', 1, () => 1, { lock: 'yes' as never })).rejects.toThrow(
      /lock must be a boolean/,
    );
    expect(() => instances(new MemoryCacheStore(), 1, { lockWaitMs: 1.5 })).toThrow(/lockWaitMs/);
  });
});

describe('lease release', () => {
  it('leaves alone a lease another instance took after ours expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new MemoryCacheStore();
    const [a, b] = instances(store, 2, { lock: true, lockWaitMs: 1000 });
    const lease = '__glasswork:lease:k';
    const pending: Array<(value: string) => void> = [];
    const slow = () => new Promise<string>((resolve) => pending.push(resolve));
    const first = a!.wrap('k', slow);
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    const aToken = await store.get(lease);
    // a's loader outlives its 1 s lease; b takes the expired lease and computes.
    vi.setSystemTime(Date.now() + 1500);
    const second = b!.wrap('k', slow);
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    const bToken = await store.get(lease);
    expect(bToken).toBeDefined();
    expect(bToken).not.toBe(aToken);
    pending[0]!('a computed');
    expect(await first).toBe('a computed');
    expect(await store.get(lease)).toBe(bToken);
    expect(a!.stats().leasesHeld).toBe(0);
    pending[1]!('b computed');
    expect(await second).toBe('b computed');
    expect(await store.has(lease)).toBe(false);
    expect(b!.stats().leasesHeld).toBe(0);
  });

  it("keeps this instance's lock lease when its own expired refresh lease is released", async () => {
    const store = new MemoryCacheStore();
    const [cache] = instances(store, 1, { lock: true });
    const lease = '__glasswork:lease:k';
    await cache!.wrapSWR('k', 1, 60, async () => 'v1');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2000);
    let finishRefresh: (value: string) => void = () => {};
    const refreshing = new Promise<string>((resolve) => {
      finishRefresh = resolve;
    });
    expect(await cache!.wrapSWR('k', 1, 60, () => refreshing)).toBe('v1');
    await vi.waitFor(() => expect(cache!.stats().leasesHeld).toBe(1));
    // The refresh outlives its 30 s lease; a locked wrap on the same key takes a new one.
    vi.setSystemTime(Date.now() + 31_000);
    await cache!.del('k');
    let finishCompute: (value: string) => void = () => {};
    const computing = cache!.wrap(
      'k',
      () =>
        new Promise<string>((resolve) => {
          finishCompute = resolve;
        }),
    );
    await vi.waitFor(() => expect(cache!.stats().leasesHeld).toBe(2));
    const computeToken = await store.get(lease);
    finishRefresh('v2');
    await cache!.drain();
    expect(cache!.stats().leasesHeld).toBe(1);
    expect(await store.get(lease)).toBe(computeToken);
    finishCompute('v3');
    expect(await computing).toBe('v3');
    expect(cache!.stats().leasesHeld).toBe(0);
    expect(await store.has(lease)).toBe(false);
  });

  it('deletes the lease outright on a store without delIfEquals', async () => {
    const inner = new MemoryCacheStore();
    const store: CacheStore = {
      name: 'no-delIfEquals',
      get: (key) => inner.get(key),
      set: (key, payload, ttlMs) => inner.set(key, payload, ttlMs),
      del: (key) => inner.del(key),
      setIfAbsent: (key, payload, ttlMs) => inner.setIfAbsent(key, payload, ttlMs),
    };
    const [cache] = instances(store, 1, { lock: true });
    expect(await cache!.wrap('k', async () => 'v')).toBe('v');
    expect(await inner.has('__glasswork:lease:k')).toBe(false);
    expect(cache!.stats().leasesHeld).toBe(0);
  });
});
