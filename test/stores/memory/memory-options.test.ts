/** MemoryCacheStore refuses unknown option keys, naming the near-miss. */
import { MemoryCacheStore } from 'glasswork';
import { describe, expect, it } from 'vitest';

describe('MemoryCacheStore options', () => {
  it.each([
    [
      { maxEntry: 10 },
      'unknown key "maxEntry" in MemoryCacheStore options; did you mean "maxEntries"?',
    ],
    [
      { maxentries: 10 },
      'unknown key "maxentries" in MemoryCacheStore options; did you mean "maxEntries"?',
    ],
    [{ ttl: 10 }, 'unknown key "ttl" in MemoryCacheStore options; expected maxEntries'],
  ])('refuses %j at construction', (options, message) => {
    expect(() => new MemoryCacheStore(options as never)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION', message, store: 'memory' }),
    );
  });

  it('refuses options that are not an object', () => {
    expect(() => new MemoryCacheStore(null as never)).toThrow(
      expect.objectContaining({ code: 'E_INVALID_OPTION' }),
    );
  });
});
