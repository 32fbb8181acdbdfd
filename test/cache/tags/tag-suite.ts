/**
 * The tag and clear() contract, run against every store: invalidation seen by every read
 * path, stale values never served after it, the loader race, lock waiters, the cost in
 * store writes, and input checks.
 */
import { randomUUID } from 'node:crypto';
import {
  CacheService,
  type CacheServiceOptions,
  type CacheStore,
  createCacheKey,
  silentLogger,
} from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const METHODS = [
  'get',
  'has',
  'getHead',
  'setIfHead',
  'delByPattern',
  'setIfAbsent',
  'delIfEquals',
  'getMany',
  'delMany',
  'close',
  'del',
] as const;

/** A store that counts the writes (keys written) its callers make. */
function countingWrites(inner: CacheStore): { store: CacheStore; writes: () => number } {
  let writes = 0;
  const store: Record<string, unknown> = { name: inner.name, callTimeoutMs: inner.callTimeoutMs };
  for (const method of METHODS) {
    const call = inner[method] as ((...args: unknown[]) => unknown) | undefined;
    if (call !== undefined) store[method] = call.bind(inner);
  }
  store.set = (key: string, payload: string, ttlMs: number) => {
    writes++;
    return inner.set(key, payload, ttlMs);
  };
  if (inner.setMany) {
    store.setMany = (entries: { key: string; payload: string; ttlMs: number }[]) => {
      writes += entries.length;
      return inner.setMany!(entries);
    };
  }
  return { store: store as unknown as CacheStore, writes: () => writes };
}

/** Two gates a loader waits on: `loading` resolves when it starts, `release()` lets it finish. */
function gate() {
  let release!: () => void;
  let started!: () => void;
  const loading = new Promise<void>((resolve) => {
    started = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { loading, release, started, released };
}

export function tagSuite(name: string, createStore: () => CacheStore | Promise<CacheStore>) {
  describe(`tags and clear(): ${name}`, () => {
    const service = async (
      prefix: string,
      options: Partial<CacheServiceOptions> = {},
      store?: CacheStore,
    ) =>
      new CacheService(store ?? (await createStore()), {
        defaultTTL: 60,
        keyPrefix: prefix,
        logger: silentLogger,
        ...options,
      });
    const prefix = () => `tags-${randomUUID().slice(0, 8)}`;

    it('invalidateTags reaches get, has, wrap, wrapSWR, getMany and wrapMany; nothing else', async () => {
      const p = prefix();
      const store = await createStore();
      const [a, b] = [await service(p, {}, store), await service(p, {}, store)];
      await a.set('p42', { n: 42 }, { ttl: 600, tags: ['product:42', 'catalog'] });
      await a.set('p43', { n: 43 }, { ttl: 600, tags: ['product:43', 'catalog'] });
      await a.set('plain', 'untagged', 600);
      await a.wrap('page', 60, () => 'home', { tags: ['catalog'] });
      await a.wrapSWR('flags', 30, 300, () => 'on', { tags: ['config'] });
      expect(await b.getMany(['p42', 'p43', 'plain', 'page', 'flags'])).toEqual([
        { n: 42 },
        { n: 43 },
        'untagged',
        'home',
        'on',
      ]);
      expect(await b.invalidateTags(['product:42'])).toBe(true);
      expect(await b.get('p42')).toBeUndefined();
      expect(await b.has('p42')).toBe(false);
      expect(await a.get('p43')).toEqual({ n: 43 });
      expect(await a.invalidateTags(['catalog'])).toBe(true);
      expect(await b.getMany(['p42', 'p43', 'plain', 'page', 'flags'])).toEqual([
        undefined,
        undefined,
        'untagged',
        undefined,
        'on',
      ]);
      expect(await b.has('p43')).toBe(false);
      expect(await b.has('plain')).toBe(true);
      expect(await b.wrap('page', 60, () => 'home v2', { tags: ['catalog'] })).toBe('home v2');
      expect(await a.wrap('page', 60, () => 'home v3', { tags: ['catalog'] })).toBe('home v2');
      expect(await b.invalidateTags(['config'])).toBe(true);
      expect(await a.wrapSWR('flags', 30, 300, () => 'off', { tags: ['config'] })).toBe('off');
      const loaded: string[][] = [];
      const values = await b.wrapMany(['p42', 'plain'], (keys) => {
        loaded.push([...keys]);
        return keys.map((key) => `${key} again`);
      });
      expect(values).toEqual(['p42 again', 'untagged']);
      expect(loaded).toEqual([['p42']]);
    });

    it('setMany and wrapMany write tags; a batch read checks them in one more round trip at most', async () => {
      const cache = await service(prefix());
      await cache.setMany([
        { key: 'a', value: 1, tags: ['odd', 'all'] },
        { key: 'b', value: 2, ttl: 60, tags: ['even', 'all'] },
        { key: 'c', value: 3 },
      ]);
      const loaded = await cache.wrapMany(['d', 'e'], (keys) => keys.map((key) => `${key}!`), {
        tags: ['loaded'],
      });
      expect(loaded).toEqual(['d!', 'e!']);
      expect(await cache.getMany(['a', 'b', 'c', 'd', 'e'])).toEqual([1, 2, 3, 'd!', 'e!']);
      expect(await cache.invalidateTags(['odd', 'loaded'])).toBe(true);
      expect(await cache.getMany(['a', 'b', 'c', 'd', 'e'])).toEqual([
        undefined,
        2,
        3,
        undefined,
        undefined,
      ]);
      await cache.invalidateTags(['all']);
      expect(await cache.get('b')).toBeUndefined();
      await expect(cache.setMany([{ key: 'x', value: 1, tags: [''] }])).rejects.toMatchObject({
        code: 'E_INVALID_TAG',
        message: expect.stringContaining('entries[0].tags[0]'),
      });
      await expect(cache.wrapMany(['x'], () => [1], { tags: 'x' as never })).rejects.toMatchObject({
        code: 'E_INVALID_TAG',
      });
    });

    it('an invalidated entry is gone: never served stale by wrapSWR or staleIfError', async () => {
      const cache = await service(prefix());
      await cache.wrapSWR('swr', 0.05, 60, () => 'old', { tags: ['t'] });
      await cache.wrap('sie', 0.05, () => 'old', { tags: ['t'], staleIfError: 60 });
      await sleep(80); // both entries are now stale
      expect(await cache.invalidateTags(['t'])).toBe(true);
      expect(await cache.wrapSWR('swr', 0.05, 60, () => 'new', { tags: ['t'] })).toBe('new');
      await expect(
        cache.wrap('sie', 0.05, () => Promise.reject(new Error('down')), {
          tags: ['t'],
          staleIfError: 60,
        }),
      ).rejects.toThrow('down');
    });

    it('a loader running across an invalidation: its caller gets the result, the cache and later callers do not', async () => {
      const cache = await service(prefix());
      const first = gate();
      const before = cache.wrap(
        'race',
        async () => {
          first.started();
          await first.released;
          return 'before';
        },
        { tags: ['race'] },
      );
      await first.loading;
      expect(await cache.invalidateTags(['race'])).toBe(true);
      // A call made after the invalidation does not join the load that started before it.
      const after = await cache.wrap('race', () => 'after', { tags: ['race'] });
      expect(after).toBe('after');
      first.release();
      expect(await before).toBe('before');
      expect(await cache.get('race')).toBe('after');
    });

    it('a lock waiter does not take a value invalidated while it waited', async () => {
      const p = prefix();
      const store = await createStore();
      const [holder, waiter] = [
        await service(p, { lock: true }, store),
        await service(p, { lock: true }, store),
      ];
      const first = gate();
      const holding = holder.wrap(
        'locked',
        async () => {
          first.started();
          await first.released;
          return 'holder';
        },
        { tags: ['lock'] },
      );
      await first.loading;
      const waiting = waiter.wrap('locked', () => 'waiter', { tags: ['lock'] });
      await sleep(50);
      expect(await holder.invalidateTags(['lock'])).toBe(true);
      first.release();
      expect(await holding).toBe('holder');
      expect(await waiting).toBe('waiter');
      expect(await holder.get('locked')).toBe('waiter');
    });

    it('invalidating a tag carried by many entries is one store write', async () => {
      const { store, writes } = countingWrites(await createStore());
      const cache = await service(prefix(), {}, store);
      const keys = Array.from({ length: 200 }, (_, i) => `bulk:${i}`);
      for (const key of keys) await cache.set(key, key, { tags: ['bulk', `item:${key}`] });
      expect(await cache.getMany(keys)).toEqual(keys);
      const before = writes();
      expect(await cache.invalidateTags(['bulk'])).toBe(true);
      expect(writes() - before).toBe(1);
      expect((await cache.getMany(keys)).every((value) => value === undefined)).toBe(true);
      const twoTags = writes();
      expect(await cache.invalidateTags(['item:bulk:1', 'item:bulk:2'])).toBe(true);
      expect(writes() - twoTags).toBe(2);
    });

    it('clear() is one store write and leaves other prefixes intact', async () => {
      const p = prefix();
      const { store, writes } = countingWrites(await createStore());
      const [a, b, other] = [
        await service(p, {}, store),
        await service(p, {}, store),
        await service(`${p}-other`, {}, store),
      ];
      await a.set('plain', 1);
      await a.set('tagged', 2, { tags: ['t'] });
      await other.set('plain', 3);
      expect(await b.get('plain')).toBe(1);
      const before = writes();
      expect(await b.clear()).toBe(true);
      expect(writes() - before).toBe(1);
      for (const cache of [a, b]) {
        expect(await cache.get('plain')).toBeUndefined();
        expect(await cache.get('tagged')).toBeUndefined();
        expect(await cache.has('plain')).toBe(false);
      }
      expect(await other.get('plain')).toBe(3);
      await a.set('plain', 4);
      expect(await b.get('plain')).toBe(4);
    });

    it('typed keys take tags unchanged', async () => {
      const cache = await service(prefix());
      const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);
      await cache.set(userKey('1'), { id: '1' }, { tags: ['user:1'] });
      const user: { id: string } | undefined = await cache.get(userKey('1'));
      expect(user).toEqual({ id: '1' });
      await cache.invalidateTags(['user:1']);
      expect(await cache.get(userKey('1'))).toBeUndefined();
    });

    it('refuses bad tags with E_INVALID_TAG, naming the argument and the limit', async () => {
      const cache = await service(prefix());
      const bad: [unknown, RegExp][] = [
        ['catalog', /tags must be an array of strings/],
        [[''], /tags\[0\] must be a non-empty string of at most 256 characters/],
        [['ok', 42], /tags\[1\] must be a non-empty string/],
        [['x'.repeat(257)], /at most 256 characters/],
        [['\ud800'], /no lone surrogates/],
        [
          Array.from({ length: 33 }, (_, i) => `t${i}`),
          /holds 33 distinct tags; at most 32 are allowed/,
        ],
        [new Array(1), /tags\[0\] must be a non-empty string/],
      ];
      for (const [tags, message] of bad) {
        const refused = { code: 'E_INVALID_TAG', message: expect.stringMatching(message) };
        await expect(cache.set('k', 1, { tags: tags as string[] })).rejects.toMatchObject(refused);
        await expect(cache.wrap('k', () => 1, { tags: tags as string[] })).rejects.toMatchObject(
          refused,
        );
        await expect(cache.invalidateTags(tags as string[])).rejects.toMatchObject(refused);
      }
      await expect(cache.set('k', 1, { ttl: 1, tag: ['x'] } as never)).rejects.toMatchObject({
        code: 'E_INVALID_OPTION',
        message: expect.stringMatching(/unknown key "tag" in set options.*did you mean "tags"/),
      });
      expect(await cache.has('k')).toBe(false);
    });
  });
}
