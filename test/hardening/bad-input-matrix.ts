/**
 * The bad-input matrix: every public function, every argument, the inputs users get
 * wrong. Each input either rejects with a coded CacheError naming the argument, or has a
 * documented behaviour (checked here) — never a crash, a hang or a corrupted entry.
 */
import { randomUUID } from 'node:crypto';
import {
  CacheService,
  type CacheStore,
  createCacheKey,
  isCacheError,
  MemoryCacheStore,
  silentLogger,
} from 'glasswork';
import { describe, expect, it } from 'vitest';

/** Rejects if `promise` has not settled within `ms`: a hang is a failure, never a wait. */
async function settles<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts a coded rejection whose message names `argument`. */
async function rejectsWith(call: () => Promise<unknown>, code: string, argument: string) {
  const error = await settles(
    call().then(
      () => undefined,
      (e: unknown) => e,
    ),
  );
  expect(isCacheError(error), `expected a CacheError, got ${String(error)}`).toBe(true);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toContain(argument);
}

const circular = () => {
  const value: Record<string, unknown> = {};
  value.self = value;
  return value;
};

const BAD_TTLS: Array<[string, unknown]> = [
  ['0', 0],
  ['negative', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a numeric string', '60'],
  ['null', null],
  ['an object', {}],
  ['over 2^31 s', 2 ** 31],
  ['a BigInt', 60n],
];
const BAD_KEYS: Array<[string, unknown]> = [
  ['empty', ''],
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
  ['an object', { id: 1 }],
  ['an array', ['a']],
  ['a symbol', Symbol('k')],
  ['a factory returning ""', () => ''],
  ['a factory returning a number', () => 1],
];
const BAD_VALUES: Array<[string, unknown, string]> = [
  ['undefined', undefined, 'E_UNDEFINED_VALUE'],
  ['a BigInt', 1n, 'E_SERIALIZE'],
  ['a circular object', circular(), 'E_SERIALIZE'],
  ['a function', () => 1, 'E_SERIALIZE'],
  ['a symbol', Symbol('v'), 'E_SERIALIZE'],
  ['a nested function', { f: () => 1 }, 'E_SERIALIZE'],
  ['NaN', Number.NaN, 'E_SERIALIZE'],
  ['a Map', new Map(), 'E_SERIALIZE'],
];

export function badInputMatrix(name: string, createStore: () => CacheStore | Promise<CacheStore>) {
  describe(`${name}: bad-input matrix`, () => {
    // Prefixes are unique per run: the Redis server is shared with other suites and runs.
    const run = randomUUID().slice(0, 8);
    const service = async (keyPrefix = 'matrix') =>
      new CacheService(await createStore(), {
        defaultTTL: 60,
        keyPrefix: `${run}:${keyPrefix}`,
        logger: silentLogger,
      });

    it.each(BAD_TTLS)('every TTL argument refuses %s with E_INVALID_TTL', async (_, ttl) => {
      const cache = await service();
      const fn = () => 1;
      await rejectsWith(() => cache.set('k', 1, ttl as number), 'E_INVALID_TTL', 'ttl');
      await rejectsWith(() => cache.wrap('k', ttl as number, fn), 'E_INVALID_TTL', 'ttl');
      await rejectsWith(
        () => cache.wrapSWR('k', ttl as number, 60, fn),
        'E_INVALID_TTL',
        'staleTTL',
      );
      await rejectsWith(() => cache.wrapSWR('k', 1, ttl as number, fn), 'E_INVALID_TTL', 'maxTTL');
      await rejectsWith(
        () => cache.wrap('k', 1, fn, { staleIfError: ttl as number }),
        'E_INVALID_TTL',
        'staleIfError',
      );
      expect(() => new CacheService(new MemoryCacheStore(), { defaultTTL: ttl as number })).toThrow(
        /defaultTTL/,
      );
      expect(await cache.has('k')).toBe(false);
    });

    it.each(BAD_KEYS)('every key argument refuses %s with E_INVALID_KEY', async (_, key) => {
      const cache = await service();
      const k = key as string;
      await rejectsWith(() => cache.get(k), 'E_INVALID_KEY', 'key');
      await rejectsWith(() => cache.set(k, 1), 'E_INVALID_KEY', 'key');
      await rejectsWith(() => cache.del(k), 'E_INVALID_KEY', 'key');
      await rejectsWith(() => cache.has(k), 'E_INVALID_KEY', 'key');
      await rejectsWith(() => cache.wrap(k, () => 1), 'E_INVALID_KEY', 'key');
      await rejectsWith(() => cache.wrapSWR(k, 1, 2, () => 1), 'E_INVALID_KEY', 'key');
    });

    it.each(BAD_VALUES)(
      'set refuses %s and leaves the previous entry intact',
      async (_, value, code) => {
        const cache = await service();
        await cache.set('kept', { v: 'previous' });
        await rejectsWith(() => cache.set('kept', value), code, 'value');
        expect(await cache.get('kept')).toEqual({ v: 'previous' });
      },
    );

    it.each(BAD_VALUES.filter(([, , code]) => code === 'E_SERIALIZE'))(
      'wrap returns %s computed by fn, uncached',
      async (_, value) => {
        const cache = await service();
        expect(await settles(cache.wrap('w', () => value))).toBe(value);
        expect(await cache.has('w')).toBe(false);
      },
    );

    it('documents what JSON does to -0, dates, undefined properties and sparse arrays', async () => {
      const cache = await service();
      await cache.set('j', { z: -0, d: new Date(0), u: undefined, a: [1, undefined, 3] });
      expect(await cache.get('j')).toEqual({
        z: 0,
        d: '1970-01-01T00:00:00.000Z',
        a: [1, null, 3],
      });
    });

    it('holds a 1 MiB value, or refuses it with E_VALUE_TOO_LARGE', async () => {
      const cache = await service();
      const huge = { blob: 'x'.repeat(1024 * 1024) };
      const outcome = await settles(
        cache.set('huge', huge).then(
          () => 'stored',
          (e: unknown) => e,
        ),
      );
      if (outcome === 'stored') expect(await cache.get('huge')).toEqual(huge);
      else expect(outcome).toMatchObject({ code: 'E_VALUE_TOO_LARGE' });
    });

    it('accepts keys with control characters, unicode and pattern characters, exactly', async () => {
      const cache = await service('pre*fix?[x]\\');
      const keys = [
        'tab\there',
        'nl\nkey',
        'nul\u0000',
        'ключ:🚀',
        'a*b?c[d]e\\f',
        ' ',
        'x'.repeat(1000),
      ];
      for (const key of keys) {
        await cache.set(key, key);
        expect(await cache.get(key)).toBe(key);
        expect(await cache.has(key)).toBe(true);
      }
      expect(await cache.delByPattern('a*b?c[d]e\\f')).toBe(1); // literal except * and ?
      for (const key of keys) expect(await cache.del(key)).toBe(key !== 'a*b?c[d]e\\f');
    });

    it.each([
      ['empty', '', 'E_INVALID_PATTERN'],
      ['a number', 5, 'E_INVALID_PATTERN'],
      ['null', null, 'E_INVALID_PATTERN'],
    ])('delByPattern refuses %s', async (_, pattern, code) => {
      const cache = await service();
      await rejectsWith(() => cache.delByPattern(pattern as string), code, 'pattern');
    });

    it('treats regex and Redis specials in patterns literally; "*" stays in the prefix', async () => {
      const cache = await service('iso');
      const other = new CacheService(await createStore(), {
        defaultTTL: 60,
        keyPrefix: `${run}:iso2`,
        logger: silentLogger,
      });
      for (const key of ['a.b', 'axb', '[ab]', 'a', '(x)', 'x+', '^$']) await cache.set(key, 1);
      await other.set('a.b', 1);
      expect(await cache.delByPattern('a.b')).toBe(1);
      expect(await cache.delByPattern('[ab]')).toBe(1);
      expect(await cache.delByPattern('(x)')).toBe(1);
      expect(await cache.delByPattern('*')).toBe(4);
      expect(await other.get('a.b')).toBe(1);
    });

    it('refuses bad loaders and options with a coded error', async () => {
      const cache = await service();
      await rejectsWith(
        () => cache.wrap('k', 1, 'not a function' as never),
        'E_INVALID_ARGUMENT',
        'fn',
      );
      await rejectsWith(() => cache.wrapSWR('k', 1, 2, null as never), 'E_INVALID_ARGUMENT', 'fn');
      await rejectsWith(
        () => cache.wrap('k', 1, () => 1, 'opts' as never),
        'E_INVALID_OPTION',
        'options',
      );
      await rejectsWith(
        () => cache.wrap('k', 1, () => 1, { fnTimeoutMs: -5 }),
        'E_INVALID_OPTION',
        'fnTimeoutMs',
      );
      await rejectsWith(() => cache.drain(-1), 'E_INVALID_OPTION', 'timeoutMs');
      expect(() => createCacheKey<number>('')).toThrow(/name/);
    });
  });
}
