/**
 * The in-process tier (`l1`) on one machine: copies served within their envelope's
 * windows and `maxAgeMs`, isolation, the LRU bound, local invalidation, and the bus
 * (an in-process hub standing in for Redis). Clocks are fake where time matters.
 */
import {
  type CacheEvent,
  CacheService,
  type CacheServiceOptions,
  type CacheStore,
  MemoryCacheStore,
  silentLogger,
} from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBusHub } from '../../helpers/memory-bus.js';

const service = (store: CacheStore, options: Partial<CacheServiceOptions> = {}) =>
  new CacheService(store, {
    defaultTTL: 60,
    keyPrefix: 'app',
    logger: silentLogger,
    l1: { maxEntries: 100, maxAgeMs: 1000 },
    ...options,
  });

/** A store whose reads are counted. */
function countingStore(inner = new MemoryCacheStore()) {
  let reads = 0;
  const store: CacheStore = {
    name: 'counting',
    get: (key) => {
      if (!key.includes('#glasswork:')) reads++; // entries only, not the generation
      return inner.get(key);
    },
    set: (key, payload, ttlMs) => inner.set(key, payload, ttlMs),
    del: (key) => inner.del(key),
    delByPattern: (pattern) => inner.delByPattern(pattern),
    setIfAbsent: (key, payload, ttlMs) => inner.setIfAbsent(key, payload, ttlMs),
    setIfHead: (key, head, payload, ttlMs) => inner.setIfHead(key, head, payload, ttlMs),
    delIfEquals: (key, payload) => inner.delIfEquals(key, payload),
  };
  return { store, reads: () => reads };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('l1: reads', () => {
  it('answers repeated reads from memory, and says so in stats and events', async () => {
    const { store, reads } = countingStore();
    const events: CacheEvent[] = [];
    const cache = service(store, { onEvent: (event) => events.push(event) });
    await cache.set('k', { n: 1 });
    expect(await cache.get('k')).toEqual({ n: 1 });
    expect(await cache.wrap('k', () => ({ n: 2 }))).toEqual({ n: 1 });
    expect(await cache.has('k')).toBe(true);
    expect(reads()).toBe(0);
    expect(cache.stats()).toMatchObject({ hits: 2, l1Hits: 3, l1Entries: 1 });
    expect(events.filter((e) => e.type === 'hit').map((e) => e.tier)).toEqual(['l1', 'l1']);
  });

  it('fills from the store on a miss, and tells store hits apart', async () => {
    const inner = new MemoryCacheStore();
    const { store, reads } = countingStore(inner);
    await service(inner).set('k', 'v');
    const events: CacheEvent[] = [];
    const cache = service(store, { onEvent: (event) => events.push(event) });
    expect(await cache.get('k')).toBe('v');
    expect(await cache.get('k')).toBe('v');
    expect(reads()).toBe(1);
    expect(events.map((e) => e.tier)).toEqual(['store', 'l1']);
  });

  it('hands every caller its own copy of the value', async () => {
    const cache = service(new MemoryCacheStore());
    await cache.set('user', { roles: ['reader'] });
    const first = (await cache.get<{ roles: string[] }>('user'))!;
    first.roles.push('admin');
    expect(await cache.get('user')).toEqual({ roles: ['reader'] });
    const wrapped = (await cache.wrap('user', () => ({ roles: [] as string[] }))) as {
      roles: string[];
    };
    wrapped.roles.length = 0;
    expect(await cache.get('user')).toEqual({ roles: ['reader'] });
  });

  it('keeps at most maxEntries copies, dropping the least recently used', async () => {
    const { store, reads } = countingStore();
    const cache = service(store, { l1: { maxEntries: 2, maxAgeMs: 1000 } });
    await cache.set('a', 1);
    await cache.set('b', 2);
    await cache.get('a'); // a is now the most recently used
    await cache.set('c', 3); // b goes
    expect(cache.stats().l1Entries).toBe(2);
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('c')).toBe(3);
    expect(reads()).toBe(0);
    expect(await cache.get('b')).toBe(2);
    expect(reads()).toBe(1);
  });

  it('never serves a copy past the entry expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const cache = service(new MemoryCacheStore(), { l1: { maxAgeMs: 60_000 } });
    await cache.set('k', 'v', 1);
    expect(await cache.get('k')).toBe('v');
    vi.setSystemTime(1_001_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
  });

  it('keeps stale-if-error working: an expired entry is read from the store', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const cache = service(new MemoryCacheStore(), { l1: { maxAgeMs: 60_000 } });
    await cache.wrap('k', 1, () => 'old', { staleIfError: 30 });
    vi.setSystemTime(1_002_000);
    const failing = () => Promise.reject(new Error('down'));
    expect(await cache.wrap('k', 1, failing, { staleIfError: 30 })).toBe('old');
  });

  it('serves a stale SWR copy and refreshes it once in the background', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const { store, reads } = countingStore();
    const cache = service(store, { l1: { maxAgeMs: 60_000 } });
    await cache.wrapSWR('k', 1, 60, () => 'v1');
    vi.setSystemTime(1_002_000);
    const loader = vi.fn(async () => 'v2');
    const served = await Promise.all([
      cache.wrapSWR('k', 1, 60, loader),
      cache.wrapSWR('k', 1, 60, loader),
    ]);
    expect(served).toEqual(['v1', 'v1']);
    await cache.drain();
    expect(loader).toHaveBeenCalledTimes(1);
    const before = reads();
    expect(await cache.wrapSWR('k', 1, 60, loader)).toBe('v2');
    expect(reads()).toBe(before); // the refresh replaced the copy
    expect(cache.stats().stales).toBe(1);
  });

  it('serves a copy at most maxAgeMs after reading it, so other writers are seen', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const store = new MemoryCacheStore();
    const a = service(store);
    const b = service(store);
    await a.set('k', 'v1');
    expect(await b.get('k')).toBe('v1');
    await a.set('k', 'v2'); // no bus: b does not hear of it
    vi.setSystemTime(1_000_999);
    expect(await b.get('k')).toBe('v1');
    vi.setSystemTime(1_001_000);
    expect(await b.get('k')).toBe('v2');
  });

  it('drops a copy whose age cannot be told (the clock went backwards)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    const { store, reads } = countingStore();
    const cache = service(store);
    await cache.set('k', 'v');
    vi.setSystemTime(999_000);
    expect(await cache.get('k')).toBe('v');
    expect(reads()).toBe(1);
  });

  it('is off by default: no tier counters, store hits', async () => {
    const { store, reads } = countingStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    await cache.set('k', 1);
    await cache.get('k');
    await cache.get('k');
    expect(reads()).toBe(2);
    expect(cache.stats()).toMatchObject({ l1Hits: 0, l1Entries: 0, busErrors: 0 });
  });
});

describe('l1: writes through this instance', () => {
  it('set, del and delByPattern update or drop the copies', async () => {
    const cache = service(new MemoryCacheStore());
    await cache.set('user:1', 'a');
    await cache.set('user:2', 'b');
    await cache.set('other', 'c');
    await cache.set('user:1', 'a2');
    expect(await cache.get('user:1')).toBe('a2');
    await cache.del('user:1');
    expect(await cache.get('user:1')).toBeUndefined();
    expect(await cache.delByPattern('user:*')).toBe(1);
    expect(await cache.get('user:2')).toBeUndefined();
    expect(await cache.get('other')).toBe('c');
  });

  it('a read overtaken by a write keeps no copy of what it read', async () => {
    const inner = new MemoryCacheStore();
    let release: () => void = () => {};
    const slow: CacheStore = {
      name: 'slow',
      get: async (key) => {
        const payload = await inner.get(key);
        if (key.includes('#glasswork:')) return payload; // only entries are slow
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return payload;
      },
      set: (key, payload, ttlMs) => inner.set(key, payload, ttlMs),
      del: (key) => inner.del(key),
    };
    const writer = service(inner, { l1: false });
    const cache = service(slow);
    await writer.set('k', 'old');
    const reading = cache.get('k');
    await vi.waitFor(() => expect(release).not.toBe(undefined));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.del('k'); // its store call is not slow
    release();
    expect(await reading).toBe('old');
    expect(cache.stats().l1Entries).toBe(0);
  });
});

describe('l1: bus', () => {
  it('a write on one instance drops the copies of the others; its own are ignored', async () => {
    const hub = new MemoryBusHub();
    const store = new MemoryCacheStore();
    const a = service(store, { l1: { maxAgeMs: 60_000, bus: hub.bus() } });
    const b = service(store, { l1: { maxAgeMs: 60_000, bus: hub.bus() } });
    await a.set('k', 'v1');
    expect(await b.get('k')).toBe('v1');
    expect(await a.get('k')).toBe('v1');
    await a.set('k', 'v2');
    await vi.waitFor(() => expect(b.stats().busMessages).toBe(1));
    expect(await b.get('k')).toBe('v2');
    expect(a.stats().busMessages).toBe(0);
    expect(hub.published.map((p) => p.message.keys)).toEqual([['app:k'], ['app:k']]);
    expect(hub.published[0]!.scope).toBe('app');
    expect(JSON.stringify(hub.published)).not.toContain('v2'); // keys, never values
  });

  it('del and delByPattern on one instance reach the others', async () => {
    const hub = new MemoryBusHub();
    const store = new MemoryCacheStore();
    const a = service(store, { l1: { maxAgeMs: 60_000, bus: hub.bus() } });
    const b = service(store, { l1: { maxAgeMs: 60_000, bus: hub.bus() } });
    await a.set('user:1', 1);
    await a.set('user:2', 2);
    expect(await b.get('user:1')).toBe(1);
    expect(await b.get('user:2')).toBe(2);
    await a.del('user:1');
    await vi.waitFor(() => expect(b.stats().busMessages).toBe(1));
    expect(await b.get('user:1')).toBeUndefined();
    await a.delByPattern('user:*');
    await vi.waitFor(() => expect(b.stats().busMessages).toBe(2));
    expect(await b.get('user:2')).toBeUndefined();
  });

  it('wrap loads and SWR refreshes publish too', async () => {
    const hub = new MemoryBusHub();
    const cache = service(new MemoryCacheStore(), { l1: { bus: hub.bus() } });
    await cache.wrap('w', () => 1);
    await cache.wrapSWR('s', 1, 60, () => 1);
    await cache.drain();
    expect(hub.published.map((p) => p.message.keys[0])).toEqual(['app:w', 'app:s']);
  });

  it('messages of another keyPrefix are not applied', async () => {
    const hub = new MemoryBusHub();
    const bus = hub.bus();
    const store = new MemoryCacheStore();
    const cache = service(store, { l1: { maxAgeMs: 60_000, bus } });
    await cache.set('k', 1);
    await bus.publish('app', { origin: 'x', keys: ['other:k'], patterns: ['other:*'] });
    expect(cache.stats()).toMatchObject({ busMessages: 0, l1Entries: 1 });
  });

  it('a gap (reconnect) drops every copy read before it', async () => {
    const hub = new MemoryBusHub();
    const { store, reads } = countingStore();
    const cache = service(store, { l1: { maxAgeMs: 60_000, bus: hub.bus() } });
    await cache.set('k', 1);
    await cache.get('k');
    expect(reads()).toBe(0);
    hub.gap();
    await cache.get('k');
    expect(reads()).toBe(1);
    await cache.get('k');
    expect(reads()).toBe(1);
  });

  it('a failing or hanging bus never fails nor holds up a cache call', async () => {
    const hub = new MemoryBusHub();
    const warn = vi.fn();
    const logger = { ...silentLogger, warn };
    const failing = service(new MemoryCacheStore(), {
      logger,
      l1: {
        bus: hub.bus({
          publish: () => Promise.reject(new Error('connection lost')),
          subscribe: () => {
            throw new Error('no subscriber');
          },
        }),
      },
    });
    await failing.set('k', 1);
    await failing.set('k', 2);
    await failing.drain();
    expect(await failing.get('k')).toBe(2);
    expect(failing.stats().busErrors).toBe(3);
    expect(warn).toHaveBeenCalledTimes(2); // one per operation per 5 s

    vi.useFakeTimers();
    const hanging = service(new MemoryCacheStore(), {
      l1: { bus: hub.bus({ publish: () => new Promise(() => {}) }) },
    });
    await hanging.set('k', 1); // resolves without waiting for the bus
    const draining = hanging.drain();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await draining).toBe(true);
    expect(hanging.stats().busErrors).toBe(1);
  });

  it('onModuleDestroy closes the bus', async () => {
    const hub = new MemoryBusHub();
    const bus = hub.bus();
    const cache = service(new MemoryCacheStore(), { l1: { bus } });
    await cache.get('k');
    await cache.onModuleDestroy();
    expect(bus.closed).toBe(true);
  });
});

describe('l1: options', () => {
  const store = new MemoryCacheStore();
  it.each([
    [{ maxEntries: 0 }, 'l1.maxEntries must be a whole number from 1, got 0'],
    [{ maxEntries: 1.5 }, 'l1.maxEntries must be a whole number from 1, got 1.5'],
    [{ maxAgeMs: 0 }, 'l1.maxAgeMs must be a positive whole number of milliseconds'],
    [{ maxAgeMs: 2 ** 31 }, 'at most 2147483647 ms'],
    [{ bus: { publish() {} } }, 'l1.bus must implement InvalidationBus'],
    [{ maxAge: 5 }, 'unknown key "maxAge" in l1 options; did you mean "maxAgeMs"?'],
    ['yes', 'l1 must be true, false or an object of L1 options, got "yes"'],
  ])('refuses %j', (l1, message) => {
    expect(() => service(store, { l1: l1 as never })).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_OPTION',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('takes the defaults with l1: true', async () => {
    const cache = service(store, { l1: true });
    await cache.set('k', 1);
    expect(cache.stats().l1Entries).toBe(1);
  });
});
