import {
  CacheService,
  createCacheKey,
  type Loader,
  type LoaderContext,
  MemoryCacheStore,
} from 'glasswork';
import { describe, expectTypeOf, it } from 'vitest';

const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
const tokenKey = createCacheKey<{ value: string; expiresIn: number }>('token', () => 'token');

describe('loader context', () => {
  it('types stale from a typed key, as T | undefined', () => {
    const result = cache.wrap(tokenKey, 600, async ({ signal, stale, setTTL }) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(stale).toEqualTypeOf<{ value: string; expiresIn: number } | undefined>();
      expectTypeOf(setTTL).toEqualTypeOf<(seconds: number) => void>();
      return { value: 'v', expiresIn: 60 };
    });
    expectTypeOf(result).resolves.toEqualTypeOf<{ value: string; expiresIn: number }>();
    cache.wrapSWR(tokenKey, 60, 300, ({ stale }) => {
      expectTypeOf(stale).toEqualTypeOf<{ value: string; expiresIn: number } | undefined>();
      return { value: 'v', expiresIn: 60 };
    });
  });

  it('types stale from an explicit type argument with a plain key', () => {
    cache.wrap<number>('n', 60, ({ stale }) => {
      expectTypeOf(stale).toEqualTypeOf<number | undefined>();
      return 1;
    });
  });

  it('still infers the result from a loader that takes the context (plain key)', () => {
    expectTypeOf(
      cache.wrap('n', 60, async ({ signal }) => signal.aborted),
    ).resolves.toEqualTypeOf<boolean>();
    expectTypeOf(
      cache.wrap('n', ({ setTTL }) => {
        setTTL(1);
        return 'x';
      }),
    ).resolves.toEqualTypeOf<string>();
  });

  it('accepts zero-argument loaders', () => {
    const zero = async () => 42;
    expectTypeOf(zero).toMatchTypeOf<Loader<number>>();
    expectTypeOf(cache.wrap('n', 60, zero)).resolves.toEqualTypeOf<number>();
    expectTypeOf(
      cache.wrap(tokenKey, () => ({ value: 'v', expiresIn: 1 })),
    ).resolves.toEqualTypeOf<{
      value: string;
      expiresIn: number;
    }>();
  });

  it('keeps typed keys strict about the result', () => {
    // @ts-expect-error the loader must return the key's type
    cache.wrap(tokenKey, 60, async () => 'wrong');
  });

  it('Loader<T> takes a LoaderContext<T>', () => {
    expectTypeOf<Parameters<Loader<string>>[0]>().toEqualTypeOf<LoaderContext<string>>();
    expectTypeOf<LoaderContext<string>['stale']>().toEqualTypeOf<string | undefined>();
  });
});
