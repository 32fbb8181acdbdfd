import { type CacheKey, CacheService, createCacheKey, MemoryCacheStore } from 'glasswork';
import { describe, expectTypeOf, it } from 'vitest';

interface User {
  id: string;
}
const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
const userKey = createCacheKey<User>('user', (id: string) => `user:${id}`);
const orderKey = createCacheKey<{ total: number }>('order', (id: string) => `order:${id}`);
const featureKey = createCacheKey<{ rollout: number }>('flags', () => 'flags:current');
const ids = ['1', '2'];

describe('batch operations with typed keys', () => {
  it('getMany infers the value type from a tuple or an array of keys', () => {
    expectTypeOf(cache.getMany([userKey('1'), userKey('2')])).resolves.toEqualTypeOf<
      (User | undefined)[]
    >();
    expectTypeOf(cache.getMany(ids.map((id) => userKey(id)))).resolves.toEqualTypeOf<
      (User | undefined)[]
    >();
    expectTypeOf(cache.getMany([featureKey])).resolves.toEqualTypeOf<
      ({ rollout: number } | undefined)[]
    >();
    expectTypeOf(cache.getMany<number>(['a', 'b'])).resolves.toEqualTypeOf<
      (number | undefined)[]
    >();
    expectTypeOf(cache.getMany(['a'])).resolves.toEqualTypeOf<unknown[]>();
  });

  it('setMany checks values against the keys', () => {
    expectTypeOf(
      cache.setMany([
        { key: userKey('1'), value: { id: '1' }, ttl: 600 },
        { key: userKey('2'), value: { id: '2' } },
      ]),
    ).resolves.toEqualTypeOf<void>();
    // @ts-expect-error a value that is not a User
    void cache.setMany([{ key: userKey('1'), value: { total: 1 } }]);
    // @ts-expect-error undefined is refused at run time; typed keys refuse it here
    void cache.setMany([{ key: userKey('1'), value: undefined }]);
    void cache.setMany([{ key: 'plain', value: 42 }]);
  });

  it('delMany takes typed and plain keys', () => {
    expectTypeOf(
      cache.delMany([userKey('1'), orderKey('2'), 'plain']),
    ).resolves.toEqualTypeOf<number>();
  });

  it('wrapMany types the loader and the result from the keys', () => {
    const rows = cache.wrapMany(
      ids.map((id) => userKey(id)),
      600,
      async (missing) => {
        expectTypeOf(missing).toEqualTypeOf<CacheKey<User>[]>();
        return missing.map((key) => ({ id: key }));
      },
    );
    expectTypeOf(rows).resolves.toEqualTypeOf<User[]>();
    expectTypeOf(
      cache.wrapMany([featureKey], (missing) => missing.map(() => ({ rollout: 1 }))),
    ).resolves.toEqualTypeOf<{ rollout: number }[]>();
    // @ts-expect-error the loader must return Users
    void cache.wrapMany([userKey('1')], () => [{ total: 1 }]);
  });

  it('wrapMany with plain keys infers from the loader', () => {
    const rows = cache.wrapMany(['a', 'b'], (missing) => {
      expectTypeOf(missing).toEqualTypeOf<string[]>();
      return missing.map((key) => key.length);
    });
    expectTypeOf(rows).resolves.toEqualTypeOf<number[]>();
    expectTypeOf(
      cache.wrapMany(['a'], 60, async () => ['x'], { lock: false }),
    ).resolves.toEqualTypeOf<string[]>();
  });
});
