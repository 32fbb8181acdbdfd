import fc from 'fast-check';
import { CacheService, jsonSerializer, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';
import { ownEnvelope } from '../helpers/envelope.js';

describe('safety', () => {
  it('never pollutes prototypes from payloads carrying __proto__ or constructor keys', async () => {
    const store = new MemoryCacheStore();
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const hostile =
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"a":1}';
    await store.set('hostile', await ownEnvelope(cache, store, undefined, hostile), 60_000);
    const value = (await cache.get<Record<string, unknown>>('hostile'))!;
    expect(value.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    // A round trip keeps such keys as plain data.
    const data = JSON.parse(hostile);
    await cache.set('again', data);
    expect(JSON.stringify(await cache.get('again'))).toBe(JSON.stringify(data));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips any JSON value through the default serializer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const back = jsonSerializer.deserialize(jsonSerializer.serialize(value));
        // JSON turns -0 into 0; everything else comes back deep-equal.
        expect(back).toEqual(JSON.parse(JSON.stringify(value)));
        expect(JSON.stringify(back)).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('isolates prefixes: a value written under one is never read, listed or deleted through another', async () => {
    const prefixes = fc.constantFrom('a', 'a2', 'a:', 'a*', 'a?', 'b', 'a\\', '[a]');
    await fc.assert(
      fc.asyncProperty(
        prefixes,
        prefixes,
        fc.string({ minLength: 1, maxLength: 6 }),
        async (p1, p2, key) => {
          fc.pre(p1 !== p2);
          const store = new MemoryCacheStore();
          const one = new CacheService(store, {
            defaultTTL: 60,
            keyPrefix: p1,
            logger: silentLogger,
          });
          const two = new CacheService(store, {
            defaultTTL: 60,
            keyPrefix: p2,
            logger: silentLogger,
          });
          await one.set(key, 'one');
          // The only way two can see one's entry is if p2:key' equals p1:key for some key'.
          const collides = `${p1}:${key}`.startsWith(`${p2}:`);
          if (!collides) {
            expect(await two.get(key)).toBeUndefined();
            expect(await two.delByPattern('*')).toBe(0);
            expect(await two.del(key)).toBe(false);
          }
          expect(await one.get(key)).toBe('one');
        },
      ),
      { numRuns: 500 },
    );
  });
});
