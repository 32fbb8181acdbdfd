import {
  type CacheLogger,
  CacheService,
  type CacheStore,
  CacheStoreError,
  createCacheKey,
  MemoryCacheStore,
  type StoreEntry,
  silentLogger,
} from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { minimalStore } from '../helpers/minimal-store.js';

const create = (store: CacheStore = new MemoryCacheStore(), keyPrefix?: string) =>
  new CacheService(store, { defaultTTL: 60, keyPrefix, logger: silentLogger });

/** A memory store whose batch methods are counted, and fail or hang on demand. */
class BatchStore extends MemoryCacheStore {
  readonly calls = {
    getMany: [] as string[][],
    setMany: [] as StoreEntry[][],
    delMany: [] as string[][],
  };
  mode: 'ok' | 'fail' | 'hang' = 'ok';

  #gate<T>(run: () => Promise<T>): Promise<T> {
    if (this.mode === 'fail')
      return Promise.reject(new CacheStoreError('E_STORE_UNAVAILABLE', 'down'));
    if (this.mode === 'hang') return new Promise(() => {});
    return run();
  }

  override getMany(keys: readonly string[]) {
    this.calls.getMany.push([...keys]);
    return this.#gate(() => super.getMany(keys));
  }

  override setMany(entries: readonly StoreEntry[]) {
    this.calls.setMany.push([...entries]);
    return this.#gate(() => super.setMany(entries));
  }

  override delMany(keys: readonly string[]) {
    this.calls.delMany.push([...keys]);
    return this.#gate(() => super.delMany(keys));
  }
}

const recordingLogger = () => {
  const lines: string[] = [];
  const logger: CacheLogger = {
    debug: () => {},
    info: () => {},
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
  };
  return { lines, logger };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('getMany, setMany, delMany', () => {
  it('round-trip many entries in one store call each', async () => {
    const store = new BatchStore();
    const cache = create(store, 'app');
    await cache.setMany([
      { key: 'a', value: { n: 1 } },
      { key: 'b', value: null, ttl: 5 },
    ]);
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual([{ n: 1 }, null, undefined]);
    expect(store.calls.setMany).toHaveLength(1);
    expect(store.calls.getMany).toEqual([['app:a', 'app:b', 'app:c']]);
    expect(await cache.delMany(['a', 'c'])).toBe(1);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, null]);
  });

  it('answers duplicate keys consistently and asks the store for each key once', async () => {
    const store = new BatchStore();
    const cache = create(store);
    await cache.setMany([
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
    ]);
    expect(store.calls.setMany[0]).toHaveLength(1);
    expect(await cache.getMany(['a', 'b', 'a'])).toEqual([2, undefined, 2]);
    expect(store.calls.getMany.at(-1)).toEqual(['a', 'b']);
    expect(await cache.delMany(['a', 'a'])).toBe(1);
  });

  it('resolves empty lists at once without calling the store', async () => {
    const store = new BatchStore();
    const cache = create(store);
    expect(await cache.getMany([])).toEqual([]);
    await cache.setMany([]);
    expect(await cache.delMany([])).toBe(0);
    expect(await cache.wrapMany([], () => [])).toEqual([]);
    expect(store.calls).toEqual({ getMany: [], setMany: [], delMany: [] });
  });

  it('gives each entry its own TTL, defaultTTL when left out', async () => {
    vi.useFakeTimers();
    const cache = create();
    await cache.setMany([
      { key: 'short', value: 's', ttl: 10 },
      { key: 'default', value: 'd' },
    ]);
    vi.advanceTimersByTime(9_999);
    expect(await cache.getMany(['short', 'default'])).toEqual(['s', 'd']);
    vi.advanceTimersByTime(1);
    expect(await cache.getMany(['short', 'default'])).toEqual([undefined, 'd']);
    vi.advanceTimersByTime(50_000);
    expect(await cache.getMany(['short', 'default'])).toEqual([undefined, undefined]);
  });

  it('emits a hit or a miss per key, a set per entry', async () => {
    const cache = create();
    const events: string[] = [];
    cache.on('*', (event) => events.push(`${event.type}:${event.key}`));
    await cache.setMany([{ key: 'a', value: 1 }]);
    await cache.getMany(['a', 'b']);
    expect(events).toEqual(['set:a', 'hit:a', 'miss:b']);
  });

  it('checks every entry before writing any', async () => {
    const store = new BatchStore();
    const cache = create(store);
    await expect(
      cache.setMany([
        { key: 'a', value: 1 },
        { key: 'b', value: 2n },
      ]),
    ).rejects.toMatchObject({ code: 'E_SERIALIZE' });
    expect(store.calls.setMany).toEqual([]);
    expect(await cache.get('a')).toBeUndefined();
  });

  describe('bad input', () => {
    const cache = create();
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      [
        'getMany(non-array)',
        () => cache.getMany('a' as never),
        'E_INVALID_ARGUMENT',
        /keys must be an array, got "a"/,
      ],
      [
        'delMany(non-array)',
        () => cache.delMany(null as never),
        'E_INVALID_ARGUMENT',
        /keys must be an array/,
      ],
      [
        'setMany(non-array)',
        () => cache.setMany({} as never),
        'E_INVALID_ARGUMENT',
        /entries must be an array/,
      ],
      [
        'getMany over the limit',
        () => cache.getMany(Array.from({ length: 1001 }, (_, i) => `k${i}`)),
        'E_INVALID_ARGUMENT',
        /at most 1000 keys per call, got 1001/,
      ],
      [
        'setMany over the limit',
        () => cache.setMany(Array.from({ length: 1001 }, (_, i) => ({ key: `k${i}`, value: i }))),
        'E_INVALID_ARGUMENT',
        /at most 1000 entries per call, got 1001/,
      ],
      [
        'a non-key element',
        () => cache.getMany(['a', 7 as never]),
        'E_INVALID_KEY',
        /keys\[1\]: key must be a non-empty string, got 7/,
      ],
      ['an empty key', () => cache.delMany(['']), 'E_INVALID_KEY', /keys\[0\]/],
      [
        'an entry that is no object',
        () => cache.setMany([null as never]),
        'E_INVALID_ARGUMENT',
        /entries\[0\] must be an object/,
      ],
      [
        'an undefined value',
        () => cache.setMany([{ key: 'a', value: undefined }]),
        'E_UNDEFINED_VALUE',
        /entries\[0\]\.value/,
      ],
      [
        'a bad TTL',
        () =>
          cache.setMany([
            { key: 'a', value: 1 },
            { key: 'b', value: 1, ttl: 0 },
          ]),
        'E_INVALID_TTL',
        /entries\[1\]\.ttl must be a positive/,
      ],
      [
        'wrapMany(non-array)',
        () => cache.wrapMany(3 as never, () => []),
        'E_INVALID_ARGUMENT',
        /wrapMany: keys must be an array/,
      ],
      [
        'wrapMany without a loader',
        () => cache.wrapMany(['a'], 60, 'x' as never),
        'E_INVALID_ARGUMENT',
        /fn must be a function/,
      ],
      [
        'wrapMany with a bad TTL',
        () => cache.wrapMany(['a'], -1, () => [1]),
        'E_INVALID_TTL',
        /ttl must be/,
      ],
      [
        'wrapMany with an unknown option',
        () => cache.wrapMany(['a'], () => [1], { staleIfError: 5 } as never),
        'E_INVALID_OPTION',
        /unknown wrapMany option "staleIfError"/,
      ],
    ];
    for (const [name, call, code, message] of cases) {
      it(`refuses ${name} with ${code}`, async () => {
        const error = await call().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toMatchObject({ code });
        expect((error as Error).message).toMatch(message);
      });
    }
  });
});

describe('the guarded store', () => {
  it('reads every key as a miss when getMany fails, and logs it', async () => {
    const store = new BatchStore();
    const { lines, logger } = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 60, logger });
    await cache.set('a', 1);
    store.mode = 'fail';
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(lines.join('\n')).toMatch(/failed to getMany/);
  });

  it('skips a failed setMany and a failed delMany, logged, without rejecting', async () => {
    const store = new BatchStore();
    const { lines, logger } = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 60, logger });
    store.mode = 'fail';
    await expect(cache.setMany([{ key: 'a', value: 1 }])).resolves.toBeUndefined();
    expect(await cache.delMany(['a'])).toBe(0);
    expect(lines.join('\n')).toMatch(/failed to setMany/);
  });

  it('bounds batch calls by storeTimeoutMs', async () => {
    vi.useFakeTimers();
    const store = new BatchStore();
    const cache = new CacheService(store, {
      defaultTTL: 60,
      logger: silentLogger,
      storeTimeoutMs: 100,
    });
    store.mode = 'hang';
    const read = cache.getMany(['a']);
    const write = cache.setMany([{ key: 'a', value: 1 }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await read).toEqual([undefined]);
    await expect(write).resolves.toBeUndefined();
  });
});

describe('stores without batch methods', () => {
  /** A store with only get/set/del that records how many calls run at once. */
  function countingStore() {
    const inner = minimalStore();
    let running = 0;
    const stats = { peak: 0, calls: 0 };
    const counted =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        stats.calls++;
        stats.peak = Math.max(stats.peak, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return await call(...args);
        } finally {
          running--;
        }
      };
    const store: CacheStore = {
      name: 'counting',
      get: counted(inner.get),
      set: counted(inner.set),
      del: counted(inner.del),
    };
    return { store, stats };
  }

  it('fall back to per-key calls, at most 16 at a time', async () => {
    const { store, stats } = countingStore();
    const cache = create(store);
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    await cache.setMany(keys.map((key, i) => ({ key, value: i })));
    expect(stats.peak).toBe(16);
    expect(await cache.getMany(keys)).toEqual(keys.map((_, i) => i));
    expect(await cache.delMany([...keys, 'absent'])).toBe(100);
    expect(stats.calls).toBe(303); // 300 and the generation's read and first write
    expect(stats.peak).toBe(16);
  });

  it('fail open per key in the fallback', async () => {
    const inner = new MemoryCacheStore();
    await inner.set('good', JSON.stringify('x'), 60_000);
    const store: CacheStore = {
      name: 'flaky',
      get: (key) => (key === 'bad' ? Promise.reject(new Error('boom')) : inner.get(key)),
      set: (key, payload, ttlMs) => inner.set(key, payload, ttlMs),
      del: (key) => inner.del(key),
    };
    const cache = create(store);
    await cache.set('good', 'x');
    expect(await cache.getMany(['good', 'bad'])).toEqual(['x', undefined]);
  });
});

describe('wrapMany', () => {
  const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);

  it('loads only the missing keys, as given, in one loader call, and caches them', async () => {
    const store = new BatchStore();
    const cache = create(store, 'app');
    const ids = Array.from({ length: 100 }, (_, i) => String(i));
    await cache.setMany(
      ids.filter((_, i) => i % 10 >= 3).map((id) => ({ key: userKey(id), value: { id } })),
    );
    const loader = vi.fn(async (missing: string[]) => missing.map((key) => ({ id: key.slice(5) })));
    const users = await cache.wrapMany(
      ids.map((id) => userKey(id)),
      600,
      loader,
    );
    expect(users).toEqual(ids.map((id) => ({ id })));
    expect(loader).toHaveBeenCalledTimes(1);
    const missing = loader.mock.calls[0]![0];
    expect(missing).toHaveLength(30);
    expect(missing).toEqual(ids.filter((_, i) => i % 10 < 3).map((id) => `user:${id}`));
    expect(store.calls.getMany.at(-1)).toHaveLength(100);
    expect(store.calls.setMany.at(-1)).toHaveLength(30);
    expect(
      await cache.wrapMany(
        ids.map((id) => userKey(id)),
        loader,
      ),
    ).toEqual(users);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('returns undefined values without caching them', async () => {
    const cache = create();
    expect(await cache.wrapMany(['a', 'b'], () => [1, undefined])).toEqual([1, undefined]);
    expect(await cache.getMany(['a', 'b'])).toEqual([1, undefined]);
  });

  it('uses the TTL given, defaultTTL without one', async () => {
    vi.useFakeTimers();
    const cache = create();
    await cache.wrapMany(['a'], 10, () => ['a']);
    await cache.wrapMany(['b'], () => ['b']);
    vi.advanceTimersByTime(10_000);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, 'b']);
  });

  it('answers duplicate keys consistently and loads each once', async () => {
    const cache = create();
    const loader = vi.fn((missing: string[]) => missing.map((key) => `v:${key}`));
    expect(await cache.wrapMany(['a', 'b', 'a'], loader)).toEqual(['v:a', 'v:b', 'v:a']);
    expect(loader.mock.calls).toEqual([[['a', 'b']]]);
  });

  it('refuses a loader result that is not one value per key', async () => {
    const cache = create();
    await expect(cache.wrapMany(['a', 'b'], () => [1])).rejects.toMatchObject({
      code: 'E_INVALID_ARGUMENT',
      message: expect.stringMatching(/one value per key it was given \(2\), got an array of 1/),
    });
    await expect(cache.wrapMany(['a'], () => 'x' as never)).rejects.toMatchObject({
      code: 'E_INVALID_ARGUMENT',
    });
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, undefined]);
  });

  it('rejects with the loader error, caching nothing', async () => {
    const cache = create();
    const failure = new Error('db down');
    await expect(
      cache.wrapMany(['a'], () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(cache.stats().inFlight).toBe(0);
  });

  it('refuses lock: true, per call or as the service default', async () => {
    await expect(create().wrapMany(['a'], () => [1], { lock: true })).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
      message: expect.stringMatching(/wrapMany does not take cross-process locks/),
    });
    const locked = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      lock: true,
      logger: silentLogger,
    });
    await expect(locked.wrapMany(['a'], () => [1])).rejects.toMatchObject({
      code: 'E_INVALID_OPTION',
    });
    expect(await locked.wrapMany(['a'], () => [1], { lock: false })).toEqual([1]);
  });

  it('loads every key when the store fails, and returns the values', async () => {
    const store = new BatchStore();
    store.mode = 'fail';
    const cache = create(store);
    const loader = vi.fn((missing: string[]) => missing.map((key) => key.toUpperCase()));
    expect(await cache.wrapMany(['a', 'b'], loader)).toEqual(['A', 'B']);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('caches the other values when one cannot be cached', async () => {
    const cache = create();
    expect(await cache.wrapMany(['a', 'b'], () => [1n, 2] as never[])).toEqual([1n, 2]);
    expect(await cache.getMany(['a', 'b'])).toEqual([undefined, 2]);
  });

  it('waits for a wrap loading a key instead of loading it again', async () => {
    const cache = create();
    let finish!: (value: string) => void;
    const single = cache.wrap('a', () => new Promise<string>((resolve) => (finish = resolve)));
    const loader = vi.fn((missing: string[]) => missing.map((key) => `batch:${key}`));
    const batch = cache.wrapMany(['a', 'b'], loader);
    await new Promise((resolve) => setImmediate(resolve));
    expect(loader.mock.calls).toEqual([[['b']]]);
    finish('single:a');
    expect(await batch).toEqual(['single:a', 'batch:b']);
    expect(await single).toBe('single:a');
  });

  it('lets wrap join a key a wrapMany is loading', async () => {
    const cache = create();
    let finish!: (values: string[]) => void;
    const batch = cache.wrapMany(
      ['a', 'b'],
      () => new Promise<string[]>((resolve) => (finish = resolve)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const single = vi.fn(() => 'single');
    const joined = cache.wrap('b', single);
    finish(['batch:a', 'batch:b']);
    expect(await joined).toBe('batch:b');
    expect(single).not.toHaveBeenCalled();
    expect(await batch).toEqual(['batch:a', 'batch:b']);
  });

  it('loads each key once across overlapping wrapMany calls', async () => {
    const cache = create();
    const loaded: string[] = [];
    const loader = async (missing: string[]) => {
      loaded.push(...missing);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return missing.map((key) => `v:${key}`);
    };
    const [first, second] = await Promise.all([
      cache.wrapMany(['a', 'b', 'c'], loader),
      cache.wrapMany(['c', 'd', 'a'], loader),
    ]);
    expect(first).toEqual(['v:a', 'v:b', 'v:c']);
    expect(second).toEqual(['v:c', 'v:d', 'v:a']);
    expect(loaded.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(cache.stats().inFlight).toBe(0);
  });

  it('passes typed key factories to the loader as given', async () => {
    const flagsKey = createCacheKey<{ on: boolean }>('flags', () => 'flags:current');
    const cache = create();
    const loader = vi.fn((missing: unknown[]) => missing.map(() => ({ on: true })));
    expect(await cache.wrapMany([flagsKey], loader)).toEqual([{ on: true }]);
    expect(loader.mock.calls[0]![0][0]).toBe(flagsKey);
  });
});
