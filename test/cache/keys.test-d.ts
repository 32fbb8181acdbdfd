import { type CacheKey, CacheService, createCacheKey, MemoryCacheStore } from 'glasswork';
import { describe, expectTypeOf, it } from 'vitest';

const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);
const featureKey = createCacheKey<{ rollout: number }>('flags', () => 'flags:current');
const strictKey = createCacheKey<number, [id: number]>('n', (id: number) => `n:${id}`);

describe('typed keys', () => {
  it('carries the value type on keys', () => {
    expectTypeOf(userKey('1')).toEqualTypeOf<CacheKey<{ id: string }>>();
    expectTypeOf(userKey('1')).toMatchTypeOf<string>();
    expectTypeOf(cache.get(userKey('1'))).resolves.toEqualTypeOf<{ id: string } | undefined>();
    expectTypeOf(cache.get(featureKey)).resolves.toEqualTypeOf<{ rollout: number } | undefined>();
  });

  it('keeps plain strings working with an explicit generic', () => {
    expectTypeOf(cache.get<number>('n')).resolves.toEqualTypeOf<number | undefined>();
    expectTypeOf(cache.get('n')).resolves.toEqualTypeOf<unknown>();
    expectTypeOf(cache.wrap('plain', 60, async () => 42)).resolves.toEqualTypeOf<number>();
    expectTypeOf(cache.wrap('plain', () => 'x')).resolves.toEqualTypeOf<string>();
  });

  it('types wrap and wrapSWR from the key', () => {
    expectTypeOf(cache.wrap(userKey('1'), 600, async () => ({ id: '1' }))).resolves.toEqualTypeOf<{
      id: string;
    }>();
    expectTypeOf(
      cache.wrapSWR(featureKey, 60, 300, () => ({ rollout: 1 })),
    ).resolves.toEqualTypeOf<{
      rollout: number;
    }>();
  });

  it('rejects values and loaders of the wrong type', () => {
    // @ts-expect-error the value is not a { id: string }
    void cache.set(userKey('1'), { idx: '1' });
    // @ts-expect-error the loader does not produce a { id: string }
    void cache.wrap(userKey('1'), 600, async () => ({ idx: '1' }));
    // @ts-expect-error the loader may produce undefined
    void cache.wrap(userKey('1'), async () => (Math.random() > 0.5 ? { id: '1' } : undefined));
    // @ts-expect-error the loader does not produce a { rollout: number }
    void cache.wrapSWR(featureKey, 60, 300, () => ({ rollout: 'all' }));
    // @ts-expect-error a string where a number is expected
    void cache.set<number>('n', 'not a number');
  });

  it('only lets zero-argument factories stand in for keys', () => {
    // @ts-expect-error userKey needs an id
    void cache.get(userKey);
    void cache.get(featureKey);
    // @ts-expect-error userKey needs exactly one argument
    userKey();
  });

  it('checks argument types when they are given', () => {
    expectTypeOf(strictKey).parameters.toEqualTypeOf<[id: number]>();
    // @ts-expect-error a string is not a number
    strictKey('x');
    const parts = createCacheKey<string>('parts');
    expectTypeOf(parts('a', 1, true)).toEqualTypeOf<CacheKey<string>>();
  });
});
