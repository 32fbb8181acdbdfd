/**
 * delByPattern on random key sets removes exactly the keys that match, inside the
 * service's prefix, on every store; keys of a sibling prefix are never touched.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { CacheService, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceMatch } from '../helpers/reference-glob.js';
import { STORE_TARGETS } from '../helpers/store-matrix.js';

const RUNS: Record<string, number> = { memory: 200, redis: 40, dynamodb: 25 };
const keyChars = fc.constantFrom('a', 'b', ':', '*', '?', '\\', '[', ']', '.', 'é', '🚀');
const keyText = fc.array(keyChars, { minLength: 1, maxLength: 5 }).map((chars) => chars.join(''));

for (const target of STORE_TARGETS) {
  describe(`${target.name}: delByPattern on random keys and patterns`, () => {
    let opened: Awaited<ReturnType<typeof target.open>>;
    beforeAll(async () => {
      opened = await target.open();
    });
    afterAll(() => opened.close());

    it('removes exactly the matching keys and counts them', async () => {
      const store = opened.create();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(keyText, { maxLength: 10 }),
          keyText,
          async (keys, pattern) => {
            const prefix = `prop*${randomUUID().slice(0, 8)}?${run++}[`;
            const cache = new CacheService(store, {
              defaultTTL: 60,
              keyPrefix: prefix,
              logger: silentLogger,
            });
            const sibling = new CacheService(store, {
              defaultTTL: 60,
              keyPrefix: `${prefix}x`,
              logger: silentLogger,
            });
            await Promise.all(keys.flatMap((key) => [cache.set(key, key), sibling.set(key, key)]));
            const expected = keys.filter((key) =>
              referenceMatch(pattern.replace(/\\/g, '\\\\'), key),
            );
            expect(await cache.delByPattern(pattern)).toBe(expected.length);
            for (const key of keys) {
              expect(await cache.has(key)).toBe(!expected.includes(key));
              expect(await sibling.get(key)).toBe(key);
            }
            await sibling.delByPattern('*');
            await cache.delByPattern('*');
          },
        ),
        { numRuns: RUNS[target.name] ?? 25 },
      );
    }, 120_000);
  });
}
