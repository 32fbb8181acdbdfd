import {
  CacheArgumentError,
  CacheError,
  CacheService,
  createCacheKey,
  isCacheError,
  MemoryCacheStore,
  type Serializer,
  silentLogger,
} from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';
import { minimalStore } from '../helpers/minimal-store.js';
import { recordingLogger } from '../helpers/recording-logger.js';

const quiet = { logger: silentLogger };
const codeOf = (code: string) => expect.objectContaining({ code });

afterEach(() => {
  vi.useRealTimers();
});

describe('CacheService construction', () => {
  it.each([
    ['missing', undefined],
    ['zero', 0],
    ['negative', -5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '300'],
    ['over 2^31 - 1 seconds', 2 ** 31],
  ])('refuses a defaultTTL that is %s with E_INVALID_TTL', (_, defaultTTL) => {
    const build = () => new CacheService(new MemoryCacheStore(), { defaultTTL } as never);
    expect(build).toThrow(CacheArgumentError);
    expect(build).toThrow(codeOf('E_INVALID_TTL'));
    expect(build).toThrow(/defaultTTL must be a positive, finite number of seconds/);
  });

  it('names the value in the message', () => {
    expect(() => new CacheService(new MemoryCacheStore(), { defaultTTL: 0 })).toThrow(/got 0$/);
  });

  it('refuses missing options, a bad store, prefix, logger, serializer or timeout', () => {
    const store = new MemoryCacheStore();
    expect(() => new CacheService(store, undefined as never)).toThrow(codeOf('E_INVALID_OPTION'));
    expect(() => new CacheService({} as never, { defaultTTL: 1 })).toThrow(
      codeOf('E_INVALID_ARGUMENT'),
    );
    expect(() => new CacheService(store, { defaultTTL: 1, keyPrefix: '' })).toThrow(/keyPrefix/);
    expect(() => new CacheService(store, { defaultTTL: 1, logger: {} as never })).toThrow(/logger/);
    expect(() => new CacheService(store, { defaultTTL: 1, serializer: {} as never })).toThrow(
      /serializer/,
    );
    expect(() => new CacheService(store, { defaultTTL: 1, storeTimeoutMs: -1 })).toThrow(
      /storeTimeoutMs/,
    );
  });

  it('accepts fractional TTLs', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 0.5 });
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
  });
});

describe('get / set / del / has', () => {
  it('stores under the prefix, as prefix:key', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: 'myapp' });
    await cache.set('user:123', { id: '123' });
    expect(await store.has('myapp:user:123')).toBe(true);
    expect(await cache.get('user:123')).toEqual({ id: '123' });
    // An entry belongs to its prefix's generation (see clear()): another prefix reads a miss.
    const bare = new CacheService(store, { defaultTTL: 60 });
    expect(await bare.get('myapp:user:123')).toBeUndefined();
  });

  it('applies defaultTTL and per-call TTLs, in seconds', async () => {
    vi.useFakeTimers();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    await cache.set('default', 'd');
    await cache.set('short', 's', 2);
    vi.advanceTimersByTime(2001);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('default')).toBe('d');
    vi.advanceTimersByTime(8000);
    expect(await cache.get('default')).toBeUndefined();
  });

  it('validates per-call TTLs like defaultTTL', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5', 2 ** 32]) {
      await expect(cache.set('k', 1, ttl as never)).rejects.toThrow(codeOf('E_INVALID_TTL'));
      await expect(cache.wrap('k', ttl as never, () => 1)).rejects.toThrow(/ttl must be/);
    }
  });

  it('treats null as a value', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    await cache.set('n', null);
    expect(await cache.get('n')).toBeNull();
    expect(await cache.has('n')).toBe(true);
    let calls = 0;
    const countedNull = () => {
      calls++;
      return null;
    };
    expect(await cache.wrap('n2', countedNull)).toBeNull();
    expect(await cache.wrap('n2', countedNull)).toBeNull();
    expect(calls).toBe(1);
  });

  it('refuses undefined with E_UNDEFINED_VALUE', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    await expect(cache.set('u', undefined)).rejects.toThrow(codeOf('E_UNDEFINED_VALUE'));
    expect(await cache.has('u')).toBe(false);
  });

  it('refuses empty and non-string keys with E_INVALID_KEY', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    for (const key of ['', 42, null, undefined, {}, () => '']) {
      await expect(cache.get(key as never)).rejects.toThrow(codeOf('E_INVALID_KEY'));
      await expect(cache.set(key as never, 1)).rejects.toThrow(codeOf('E_INVALID_KEY'));
    }
  });

  it('del removes one entry and tells whether it existed', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10, keyPrefix: 'p' });
    await cache.set('a', 1);
    await cache.set('b', 2);
    expect(await cache.del('a')).toBe(true);
    expect(await cache.del('a')).toBe(false);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBe(2);
  });

  it('has() reads only the head of the entry where the store can', async () => {
    const store = new ChaosStore();
    const cache = new CacheService(store, { defaultTTL: 10 });
    await cache.set('k', 'v'.repeat(10_000));
    expect(await cache.has('k')).toBe(true);
    expect(await cache.has('missing')).toBe(false);
    expect(store.calls.getHead).toBe(2);
    expect(store.calls.get).toBe(1); // the service's generation, read once a second at most
  });

  it('has() follows the entry expiry whichever instance kept it for stale-if-error', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const store = new MemoryCacheStore();
      const writer = new CacheService(store, { defaultTTL: 10, staleIfError: 60 });
      const reader = new CacheService(store, { defaultTTL: 10 });
      await writer.wrap('k', () => 'v');
      expect(await reader.has('k')).toBe(true);
      vi.advanceTimersByTime(11_000);
      expect(await store.has('k')).toBe(true); // physically kept for the grace window
      expect(await reader.has('k')).toBe(false);
      expect(await writer.has('k')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('has() agrees with get() on entries that are not glasswork envelopes', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 10, logger: silentLogger });
    await store.set('foreign', 'written by another program', 10_000);
    expect(await cache.get('foreign')).toBeUndefined();
    expect(await cache.has('foreign')).toBe(false);
  });

  it('has() falls back to a read for stores without has()', async () => {
    const cache = new CacheService(minimalStore(), { defaultTTL: 10 });
    await cache.set('k', 1);
    expect(await cache.has('k')).toBe(true);
    expect(await cache.has('x')).toBe(false);
    expect(await cache.delByPattern('*')).toBeUndefined();
  });
});

describe('serialization', () => {
  const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });

  it.each([
    ['a BigInt', 10n],
    ['a nested BigInt', { id: 1n }],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['NaN', Number.NaN],
    ['a nested Infinity', { score: Number.POSITIVE_INFINITY }],
    ['a Map', new Map([[1, 2]])],
    ['a Set', { tags: new Set(['a']) }],
  ])('refuses %s with E_SERIALIZE and writes nothing', async (_, value) => {
    await expect(cache.set('bad', value)).rejects.toThrow(codeOf('E_SERIALIZE'));
    expect(await cache.has('bad')).toBe(false);
  });

  it('refuses circular structures with E_SERIALIZE naming the key', async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    await expect(cache.set('circ', circular)).rejects.toThrow(
      /value for key "circ" cannot be serialized/,
    );
  });

  it('keeps the previous entry when a write is refused', async () => {
    await cache.set('keep', { v: 1 });
    await expect(cache.set('keep', { v: 2n })).rejects.toBeInstanceOf(CacheError);
    expect(await cache.get('keep')).toEqual({ v: 1 });
  });

  it('round-trips JSON values, with JSON semantics for dates and -0', async () => {
    const value = { s: 'é🚀', n: 1.5, b: true, arr: [1, null, 'x'], nested: { deep: [{}] } };
    await cache.set('json', value);
    expect(await cache.get('json')).toEqual(value);
    await cache.set('date', new Date('2026-01-01T00:00:00Z'));
    expect(await cache.get('date')).toBe('2026-01-01T00:00:00.000Z');
    await cache.set('negzero', -0);
    expect(Object.is(await cache.get('negzero'), 0)).toBe(true);
  });

  it('uses a custom serializer', async () => {
    const tagged: Serializer = {
      serialize: (value) =>
        `T${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
      deserialize: (payload) =>
        JSON.parse(payload.slice(1), (_, v) =>
          typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
        ),
    };
    const custom = new CacheService(new MemoryCacheStore(), { defaultTTL: 10, serializer: tagged });
    await custom.set('big', { n: 12345678901234567890n });
    expect(await custom.get('big')).toEqual({ n: 12345678901234567890n });
  });

  it('treats an entry that fails to deserialize as a logged miss', async () => {
    const store = new MemoryCacheStore();
    const logger = recordingLogger();
    const broken = new CacheService(store, {
      defaultTTL: 10,
      logger,
      serializer: {
        serialize: JSON.stringify,
        deserialize: () => {
          throw new Error('bad payload');
        },
      },
    });
    await broken.set('k', { secret: 'value-123' });
    expect(await broken.get('k')).toBeUndefined();
    await store.set('foreign', 'not an envelope', 10_000);
    expect(await broken.get('foreign')).toBeUndefined();
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(logger.text()).toContain('"k"');
    expect(logger.text()).not.toContain('value-123');
  });
});

describe('fail-open', () => {
  it('turns store failures into misses and resolved writes, logged with key and store', async () => {
    const store = new ChaosStore().mode('fail');
    const logger = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 10, keyPrefix: 'app', logger });
    expect(await cache.get('k')).toBeUndefined();
    await expect(cache.set('k', { secret: 's3cr3t' })).resolves.toBeUndefined();
    expect(await cache.del('k')).toBe(false);
    expect(await cache.has('k')).toBe(false);
    expect(await cache.delByPattern('*')).toBe(0);
    expect(await cache.wrap('k', () => 'computed')).toBe('computed');
    expect(await cache.wrapSWR('k', 1, 2, () => 'swr')).toBe('swr');
    // One line per failing operation (get, set, del, has, delByPattern); repeats are held back.
    expect(logger.lines.map((line) => line.context?.operation)).toEqual([
      'get',
      'set',
      'del',
      'has',
      'delByPattern',
    ]);
    expect(cache.stats().errors).toBeGreaterThanOrEqual(9);
    for (const line of logger.lines) {
      expect(line.message).toMatch(/store "chaos" failed to \w+ "app:/); // the entry's key first
      expect(line.context).toMatchObject({ store: 'chaos' });
    }
    expect(logger.text()).not.toContain('s3cr3t');
  });

  it('logs an outage once per operation per 5 s, counting what it held back', async () => {
    vi.useFakeTimers({ now: 0 });
    const store = new ChaosStore().mode('fail');
    const logger = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 10, logger });
    for (let i = 0; i < 1000; i++) await cache.get(`k${i}`);
    expect(logger.lines).toHaveLength(1);
    // One more: the generation's read failed too, and is tried again a second later at most.
    expect(cache.stats().errors).toBe(1001);
    vi.setSystemTime(5000);
    await cache.get('again');
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]!.message).toContain('(1000 more get failures since the last report)');
  });

  it('bounds a hanging store by storeTimeoutMs', async () => {
    vi.useFakeTimers();
    const store = new ChaosStore().mode('hang');
    const logger = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 10, storeTimeoutMs: 250, logger });
    const pending = Promise.all([
      cache.get('k'),
      cache.set('k', 1),
      cache.wrap('w', () => 'fresh'),
    ]);
    await vi.advanceTimersByTimeAsync(250);
    await vi.advanceTimersByTimeAsync(250); // wrap: the read times out, then the write
    expect(await pending).toEqual([undefined, undefined, 'fresh']);
    expect(logger.text()).toContain('did not answer get "k" within 250 ms');
    const pattern = cache.delByPattern('*');
    await vi.advanceTimersByTimeAsync(250);
    expect(store.hanging).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(60_000 - 250);
    expect(await pattern).toBe(0);
    expect(logger.text()).toContain('did not answer delByPattern "*" within 60000 ms');
    expect(vi.getTimerCount()).toBe(0);
    store.release();
  });

  it('never turns a successful loader into a rejection', async () => {
    const store = new ChaosStore().mode('fail', 'set');
    const cache = new CacheService(store, { defaultTTL: 10, ...quiet });
    expect(await cache.wrap('k', async () => 42)).toBe(42);
    store.mode('fail', 'get');
    expect(await cache.wrap('k2', async () => 43)).toBe(43);
  });

  it('still rejects programmer errors', async () => {
    const cache = new CacheService(new ChaosStore().mode('fail'), { defaultTTL: 10, ...quiet });
    await expect(cache.set('k', undefined)).rejects.toSatisfy(isCacheError);
    await expect(cache.set('k', 1, 0)).rejects.toThrow(codeOf('E_INVALID_TTL'));
    await expect(cache.set('k', 1n)).rejects.toThrow(codeOf('E_SERIALIZE'));
  });

  it('rethrows limit errors a store raises for the caller to fix', async () => {
    const store = new MemoryCacheStore();
    const { CacheLimitError } = await import('glasswork');
    store.set = async (key) => {
      throw new CacheLimitError('E_VALUE_TOO_LARGE', 'too large', {
        key,
        size: 500_000,
        limit: 400_000,
      });
    };
    const logger = recordingLogger();
    const cache = new CacheService(store, { defaultTTL: 10, logger });
    await expect(cache.set('big', 'x')).rejects.toThrow(codeOf('E_VALUE_TOO_LARGE'));
    expect(await cache.wrap('big', () => 'computed')).toBe('computed');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.message).toContain('computed but not cached');
  });
});

describe('typed keys at runtime', () => {
  it('builds keys with the factory and accepts zero-argument factories directly', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10, keyPrefix: 'app' });
    const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);
    const flagsKey = createCacheKey<{ rollout: number }>('flags', () => 'flags:current');
    const byParts = createCacheKey<number>('count');
    expect(userKey('1')).toBe('user:1');
    expect(byParts('a', 2)).toBe('count:a:2');
    expect(userKey.keyName).toBe('user');
    await cache.set(flagsKey, { rollout: 5 });
    expect(await cache.get('flags:current')).toEqual({ rollout: 5 });
    expect(await cache.wrapSWR(flagsKey, 1, 2, () => ({ rollout: 0 }))).toEqual({ rollout: 5 });
  });

  it('refuses a factory that needs arguments when passed uncalled', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 10 });
    const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);
    const error = await cache.get(userKey as never).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_INVALID_KEY' });
    expect((error as Error).message).toBe(
      `a typed key factory was passed where a key is expected: call it to make the key, e.g. userKey('123'), not userKey (this factory from createCacheKey("user", …) takes arguments)`,
    );
  });

  it('refuses a bad name or keyFn', () => {
    expect(() => createCacheKey<number>('')).toThrow(codeOf('E_INVALID_KEY'));
    expect(() => createCacheKey<number>('x', 'nope' as never)).toThrow(/keyFn/);
  });
});
