/**
 * Writes by refreshes and lock holders are fenced: one that was overtaken (a newer write,
 * a delete) while its loader ran — e.g. frozen with its Lambda environment — is dropped.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

const service = (store: MemoryCacheStore, options: object = {}) =>
  new CacheService(store, { defaultTTL: 60, logger: silentLogger, ...options });

/** A loader the test finishes by hand. */
function manualLoader<T>() {
  let finish: (value: T) => void = () => {};
  let calls = 0;
  const load = () => {
    calls++;
    return new Promise<T>((resolve) => {
      finish = resolve;
    });
  };
  return { load, finish: (value: T) => finish(value), calls: () => calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fenced writes', () => {
  it('a refresh that thaws after a newer write does not overwrite it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const a = service(store);
    const b = service(store);
    await a.wrapSWR('k', 1, 60, () => 'v1');
    vi.setSystemTime(1_002_000); // stale
    const frozen = manualLoader<string>();
    expect(await a.wrapSWR('k', 1, 60, frozen.load)).toBe('v1');
    await vi.waitFor(() => expect(frozen.calls()).toBe(1));
    await b.set('k', 'newer'); // written while A's refresh was frozen
    frozen.finish('older');
    await a.drain();
    expect(await b.get('k')).toBe('newer');
    expect(await a.wrapSWR('k', 1, 60, () => 'unused')).toBe('newer');
  });

  it('a refresh does not bring back an entry deleted while it ran', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const cache = service(store);
    await cache.wrapSWR('k', 1, 60, () => 'v1');
    vi.setSystemTime(1_002_000);
    const slow = manualLoader<string>();
    await cache.wrapSWR('k', 1, 60, slow.load);
    await vi.waitFor(() => expect(slow.calls()).toBe(1));
    await cache.del('k');
    slow.finish('computed before the delete');
    await cache.drain();
    expect(await cache.get('k')).toBeUndefined();
  });

  it('a lock holder whose lease ran out does not overwrite the value computed since', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const a = service(store, { lock: true, lockWaitMs: 1000 });
    const b = service(store, { lock: true, lockWaitMs: 1000 });
    const frozen = manualLoader<string>();
    const first = a.wrap('k', frozen.load);
    await vi.waitFor(() => expect(frozen.calls()).toBe(1));
    vi.setSystemTime(1_005_000); // A's lease (1 s) ran out while it was frozen
    expect(await b.wrap('k', () => 'from B')).toBe('from B');
    frozen.finish('from A, older');
    expect(await first).toBe('from A, older'); // its caller still gets its result
    expect(await b.get('k')).toBe('from B');
  });

  it('a refresh still writes over the stale entry it replaces', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const cache = service(store);
    await cache.wrapSWR('k', 1, 60, () => 'v1');
    vi.setSystemTime(1_002_000);
    await cache.wrapSWR('k', 1, 60, () => 'v2');
    await cache.drain();
    expect(await cache.get('k')).toBe('v2');
  });
});

describe('refresh leases', () => {
  it("last about 4× the key's loader time, so one orphaned by a freeze blocks others briefly", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const a = service(store);
    const b = service(store);
    await a.wrapSWR('k', 1, 600, () => 'v1');
    vi.setSystemTime(1_002_000);
    await a.wrapSWR('k', 1, 600, () => 'v2'); // a fast refresh: the next lease is the 2 s minimum
    await a.drain();
    vi.setSystemTime(1_004_000);
    const frozen = manualLoader<string>();
    await a.wrapSWR('k', 1, 600, frozen.load); // takes the lease, then freezes
    await vi.waitFor(() => expect(frozen.calls()).toBe(1));
    vi.setSystemTime(1_006_500); // 2.5 s later: A's lease is gone
    await b.wrapSWR('k', 1, 600, () => 'from B');
    await b.drain();
    expect(await b.get('k')).toBe('from B');
    frozen.finish('from A');
    await a.drain();
    expect(await b.get('k')).toBe('from B');
  });
});
