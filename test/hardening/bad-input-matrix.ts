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
  createCacheTable,
  DynamoDBCacheStore,
  isCacheError,
  MemoryCacheStore,
  RedisCacheStore,
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

/** Past 2^31 − 1 ms, Node fires a timer after ~1 ms: every such duration must be refused. */
const OVERFLOWING_DURATIONS: Array<[string, number]> = [
  ['2^31 ms', 2 ** 31],
  ['2^32 + 1 ms (fires after 1 ms)', 2 ** 32 + 1],
  ['2^53 − 1 ms', Number.MAX_SAFE_INTEGER],
];
const TIMER_LIMIT = /at most 2147483647 ms \(~24.8 days\)/;

/** Keys one typo or one case away from a known option, and the option each must suggest. */
const SERVICE_NEAR_MISSES: Array<[string, string]> = [
  ['defaultTtl', 'defaultTTL'],
  ['keyprefix', 'keyPrefix'],
  ['storeTimeout', 'storeTimeoutMs'],
  ['delByPatternTimoutMs', 'delByPatternTimeoutMs'],
  ['lockWaitMS', 'lockWaitMs'],
  ['staleIfErorr', 'staleIfError'],
];
const WRAP_NEAR_MISSES: Array<[string, string]> = [
  ['lockWait', 'lockWaitMs'],
  ['fnTimeoutMS', 'fnTimeoutMs'],
  ['Lock', 'lock'],
  ['backgroundRefesh', 'backgroundRefresh'],
];

/** A client that passes the Redis store's shape check; nothing calls it. */
const UNUSED_REDIS_CLIENT = { isCluster: false, sendCommand() {}, options: {} };

/**
 * Each built-in store's own options: its duration options and near-miss keys. Building
 * a store connects to nothing, so every case runs without a server.
 */
interface StoreOptionCases {
  build(options: Record<string, unknown>): unknown;
  durations: string[];
  nearMisses: Array<[string, string]>;
  /** Unknown keys in the store's other forms, and what each message must say. */
  otherForms: Array<[string, () => unknown, RegExp]>;
}
const STORE_OPTION_CASES: Record<string, StoreOptionCases> = {
  memory: {
    build: (options) => new MemoryCacheStore(options),
    durations: [],
    nearMisses: [
      ['maxEntry', 'maxEntries'],
      ['MaxEntries', 'maxEntries'],
    ],
    otherForms: [],
  },
  redis: {
    build: (options) => new RedisCacheStore({ url: 'redis://127.0.0.1:6379', ...options }),
    durations: ['commandTimeoutMs', 'connectTimeoutMs', 'disconnectTimeout', 'socketTimeout'],
    nearMisses: [
      ['pasword', 'password'],
      ['DB', 'db'],
      ['tsl', 'tls'],
      ['commandTimeoutMS', 'commandTimeoutMs'],
      ['conectTimeoutMs', 'connectTimeoutMs'],
    ],
    otherForms: [
      [
        'nested ioredis options: { url, options: { db } }',
        () => new RedisCacheStore({ url: 'redis://127.0.0.1:6379', options: { db: 3 } } as never),
        /unknown key "options" in RedisCacheStore options/,
      ],
      [
        '{ cluster } with clusterOption',
        () => new RedisCacheStore({ cluster: [7000], clusterOption: {} } as never),
        /unknown key "clusterOption" .*did you mean "clusterOptions"/,
      ],
      [
        '{ cluster } with an ioredis option at the top',
        () => new RedisCacheStore({ cluster: [7000], password: 'p' } as never),
        /unknown key "password" .*clusterOptions\.redisOptions/,
      ],
      [
        '{ cluster } with a near-miss in clusterOptions.redisOptions',
        () =>
          new RedisCacheStore({
            cluster: [7000],
            clusterOptions: { redisOptions: { pasword: 'p' } },
          } as never),
        /unknown key "pasword" in clusterOptions.redisOptions; did you mean "password"/,
      ],
      [
        '{ cluster } with an overflowing clusterOptions.slotsRefreshTimeout',
        () =>
          new RedisCacheStore({
            cluster: [7000],
            clusterOptions: { slotsRefreshTimeout: 2 ** 31 },
          }),
        /clusterOptions.slotsRefreshTimeout must .*at most 2147483647 ms/,
      ],
      [
        '{ client } with db',
        () => new RedisCacheStore({ client: UNUSED_REDIS_CLIENT, db: 3 } as never),
        /unknown key "db" in RedisCacheStore options \(\{ client \}\)/,
      ],
      [
        '{ client } with Client',
        () => new RedisCacheStore({ client: UNUSED_REDIS_CLIENT, Client: 1 } as never),
        /did you mean "client"/,
      ],
    ],
  },
  dynamodb: {
    build: (options) =>
      new DynamoDBCacheStore({ tableName: 'matrix', region: 'eu-central-1', ...options }),
    // Refused by its own range (1 to 600000), far below the timer limit.
    durations: [],
    nearMisses: [
      ['tablename', 'tableName'],
      ['consistentReads', 'consistentRead'],
      ['requestTimeout', 'requestTimeoutMs'],
      ['Endpoint', 'endpoint'],
    ],
    otherForms: [
      [
        'requestTimeoutMs of 2^31',
        () => new DynamoDBCacheStore({ tableName: 't', requestTimeoutMs: 2 ** 31 }),
        /requestTimeoutMs must be an integer from 1 to 600000/,
      ],
    ],
  },
};

/** Asserts that `build` throws `E_INVALID_OPTION` with a message matching `message`. */
function refusesOption(build: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    build();
  } catch (caught) {
    error = caught;
  }
  expect(isCacheError(error), `expected a CacheError, got ${String(error)}`).toBe(true);
  expect(error).toMatchObject({ code: 'E_INVALID_OPTION' });
  expect((error as Error).message).toMatch(message);
}

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
      // An object is set's options form: a bad TTL inside it is refused the same way.
      if (ttl === null || typeof ttl !== 'object') {
        await rejectsWith(() => cache.set('k', 1, ttl as number), 'E_INVALID_TTL', 'ttl');
      }
      await rejectsWith(() => cache.set('k', 1, { ttl: ttl as number }), 'E_INVALID_TTL', 'ttl');
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
      await rejectsWith(
        () => cache.setMany([{ key: 'k', value: 1, ttl: ttl as number }]),
        'E_INVALID_TTL',
        'entries[0].ttl',
      );
      await rejectsWith(
        () => cache.wrapMany(['k'], ttl as number, () => [1]),
        'E_INVALID_TTL',
        'ttl',
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
      await rejectsWith(() => cache.getMany(['ok', k]), 'E_INVALID_KEY', 'keys[1]');
      await rejectsWith(() => cache.delMany([k]), 'E_INVALID_KEY', 'keys[0]');
      await rejectsWith(() => cache.wrapMany([k], () => [1]), 'E_INVALID_KEY', 'keys[0]');
      await rejectsWith(
        () => cache.setMany([{ key: k, value: 1 }]),
        'E_INVALID_KEY',
        'entries[0].key',
      );
    });

    it.each(BAD_VALUES)(
      'set refuses %s and leaves the previous entry intact',
      async (_, value, code) => {
        const cache = await service();
        await cache.set('kept', { v: 'previous' });
        await rejectsWith(() => cache.set('kept', value), code, 'value');
        await rejectsWith(
          () =>
            cache.setMany([
              { key: 'other', value: 1 },
              { key: 'kept', value },
            ]),
          code,
          'value',
        );
        expect(await cache.getMany(['kept', 'other'])).toEqual([{ v: 'previous' }, undefined]);
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

    it.each(OVERFLOWING_DURATIONS)(
      'every duration option refuses %s with E_INVALID_OPTION naming the limit',
      async (_, ms) => {
        const store = await createStore();
        for (const option of [
          'storeTimeoutMs',
          'delByPatternTimeoutMs',
          'lockWaitMs',
          'fnTimeoutMs',
        ]) {
          refusesOption(
            () => new CacheService(store, { defaultTTL: 60, [option]: ms }),
            new RegExp(`^${option} must .*${TIMER_LIMIT.source}`),
          );
        }
        const cache = await service();
        let calls = 0;
        const fn = () => ++calls;
        for (const option of ['lockWaitMs', 'fnTimeoutMs']) {
          await rejectsWith(
            () => cache.wrap('k', 1, fn, { [option]: ms }),
            'E_INVALID_OPTION',
            option,
          );
          await rejectsWith(
            () => cache.wrapSWR('k', 1, 2, fn, { [option]: ms }),
            'E_INVALID_OPTION',
            '2147483647 ms',
          );
        }
        await rejectsWith(() => cache.drain(ms), 'E_INVALID_OPTION', '2147483647 ms');
        expect(calls).toBe(0);
        const own = STORE_OPTION_CASES[name];
        for (const option of own?.durations ?? []) {
          refusesOption(
            () => own!.build({ [option]: ms }),
            new RegExp(`^${option} must .*${TIMER_LIMIT.source}`),
          );
        }
        if (name === 'dynamodb') {
          await expect(createCacheTable({ tableName: 't', waitTimeoutMs: ms })).rejects.toThrow(
            TIMER_LIMIT,
          );
        }
      },
    );

    it.each(SERVICE_NEAR_MISSES)(
      'CacheService refuses the unknown option %s, suggesting %s',
      async (key, known) => {
        const store = await createStore();
        refusesOption(
          () => new CacheService(store, { defaultTTL: 60, [key]: 1 } as never),
          new RegExp(`^unknown key "${key}" in CacheService options; did you mean "${known}"\\?$`),
        );
      },
    );

    it.each(WRAP_NEAR_MISSES)(
      'wrap and wrapSWR refuse the unknown option %s, suggesting %s, without calling fn',
      async (key, known) => {
        const cache = await service();
        let calls = 0;
        const fn = () => ++calls;
        const message = `unknown key "${key}" in wrap options; did you mean "${known}"?`;
        await rejectsWith(
          () => cache.wrap('k', 1, fn, { [key]: 1 } as never),
          'E_INVALID_OPTION',
          message,
        );
        await rejectsWith(
          () => cache.wrapSWR('k', 1, 2, fn, { [key]: 1 } as never),
          'E_INVALID_OPTION',
          message,
        );
        expect(calls).toBe(0);
        expect(await cache.has('k')).toBe(false);
      },
    );

    const own = STORE_OPTION_CASES[name];
    describe.skipIf(own === undefined)(`${name} store options`, () => {
      it.each(own?.nearMisses ?? [])(
        'refuses the unknown option %s, suggesting %s',
        (key, known) => {
          refusesOption(
            () => own!.build({ [key]: 1 }),
            new RegExp(
              `^unknown key "${key}" in \\w+CacheStore options; did you mean "${known}"\\?$`,
            ),
          );
        },
      );

      it.each(own?.otherForms ?? [])('refuses %s', (_, build, message) => {
        refusesOption(build, message);
      });

      it.runIf(name === 'dynamodb')(
        'createCacheTable refuses unknown options before connecting',
        async () => {
          await expect(
            createCacheTable({ tableName: 't', tablename: 't' } as never),
          ).rejects.toThrow(
            /unknown key "tablename" in createCacheTable options; did you mean "tableName"\?/,
          );
        },
      );
    });
  });
}
