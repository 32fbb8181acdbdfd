/**
 * CacheService promises `E_INVALID_OPTION` naming the first bad option. `logger: null` and
 * `serializer: null` (what a config object with an unset entry passes from JavaScript)
 * throw a bare TypeError from inside option resolution instead.
 */
import { CacheService, MemoryCacheStore } from 'glasswork';
import { describe, expect, it } from 'vitest';

describe('null logger and serializer options', () => {
  for (const name of ['logger', 'serializer'] as const) {
    it(`${name}: null is refused with E_INVALID_OPTION`, () => {
      let thrown: unknown;
      try {
        new CacheService(new MemoryCacheStore(), { defaultTTL: 60, [name]: null } as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'E_INVALID_OPTION' });
      expect(String((thrown as Error).message)).toContain(name);
    });
  }
});
