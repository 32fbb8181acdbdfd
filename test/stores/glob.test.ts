import fc from 'fast-check';
import {
  CacheService,
  compileGlob,
  escapeGlob,
  globLiteralPrefix,
  MemoryCacheStore,
  parseGlob,
} from 'glasswork';
import { describe, expect, it } from 'vitest';
import { referenceMatch } from '../helpers/reference-glob.js';
import { regexpGlob } from '../helpers/regexp-glob.js';

const alphabet = fc.constantFrom(
  'a',
  'b',
  ':',
  '*',
  '?',
  '\\',
  '[',
  ']',
  '.',
  '^',
  '$',
  '(',
  '|',
  '+',
  '\n',
  'é',
  '🚀',
  '-',
  '/',
);
const text = fc.array(alphabet, { maxLength: 8 }).map((chars) => chars.join(''));

describe('glob', () => {
  it('agrees with a reference matcher on random patterns and keys', () => {
    fc.assert(
      fc.property(text, text, (pattern, key) => {
        expect(compileGlob(pattern)(key)).toBe(referenceMatch(pattern, key));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference on star-heavy patterns and long keys', () => {
    // A small alphabet makes partial matches (and so backtracking) frequent.
    const few = fc.constantFrom('a', 'b', '-', '*', '?', '\\', '🚀');
    const pattern = fc.array(few, { maxLength: 12 }).map((chars) => chars.join(''));
    const key = fc.array(few, { maxLength: 60 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(pattern, key, (glob, candidate) => {
        expect(compileGlob(glob)(candidate)).toBe(referenceMatch(glob, candidate));
      }),
      { numRuns: 5000 },
    );
  });

  it('behaves as the RegExp matcher it replaced, lone surrogates included', () => {
    // Where the two differ from the reference (an escape between the halves of a
    // surrogate pair rejoins them), the public behaviour stays the RegExp's.
    const few = fc.constantFrom('a', '-', '*', '?', '\\', '\uD83D', '\uDE80', '🚀', '\n');
    const text = (maxLength: number) => fc.array(few, { maxLength }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text(8), text(16), (glob, candidate) => {
        expect(compileGlob(glob)(candidate)).toBe(regexpGlob(glob)(candidate));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches many stars against a long key in linear time, without backtracking blowup', () => {
    const key = 'a-'.repeat(5000); // 10,000 characters, many partial matches, no match
    const started = performance.now();
    expect(compileGlob('*-*-*-*-?end')(key)).toBe(false);
    expect(compileGlob('*-*-*-*-?end')(`${key}xend`)).toBe(true);
    expect(compileGlob('*a*a*a*a*a*b')(key)).toBe(false);
    // A generous bound: a guard against exponential time, not a benchmark.
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('matches escaped text only literally', () => {
    fc.assert(
      fc.property(text, text, (literal, other) => {
        const matches = compileGlob(escapeGlob(literal));
        expect(matches(literal)).toBe(true);
        if (other !== literal) expect(matches(other)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('treats regex and Redis specials as literals', () => {
    expect(compileGlob('a.b')('axb')).toBe(false);
    expect(compileGlob('[ab]')('a')).toBe(false);
    expect(compileGlob('[ab]')('[ab]')).toBe(true);
    expect(compileGlob('a+')('aa')).toBe(false);
    expect(compileGlob('^x$')('^x$')).toBe(true);
    expect(compileGlob('user:*')('user:1\n2')).toBe(true);
    expect(compileGlob('?')('🚀')).toBe(true);
    expect(compileGlob('a\\')('a\\')).toBe(true);
  });

  it('finds the literal prefix of a pattern', () => {
    expect(globLiteralPrefix('user\\*:1*')).toBe('user*:1');
    expect(globLiteralPrefix('*x')).toBe('');
    expect(globLiteralPrefix('abc')).toBe('abc');
    expect(parseGlob('a**b')).toEqual([
      { type: 'literal', text: 'a' },
      { type: 'star' },
      { type: 'literal', text: 'b' },
    ]);
  });
});

describe('delByPattern through the service', () => {
  it('removes exactly the keys matching inside the prefix', async () => {
    const keyChars = fc.constantFrom('a', 'b', ':', '*', '?', '\\', '[', ']', '.', 'é');
    const keyText = fc.array(keyChars, { minLength: 1, maxLength: 5 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyText, { maxLength: 12 }),
        keyText,
        async (keys, pattern) => {
          const store = new MemoryCacheStore();
          const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p*' });
          const outsider = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p' });
          for (const key of keys) {
            await cache.set(key, key);
            await outsider.set(key, key);
          }
          const userGlob = (key: string) => referenceMatch(pattern.replace(/\\/g, '\\\\'), key);
          const expected = keys.filter(userGlob);
          expect(await cache.delByPattern(pattern)).toBe(expected.length);
          for (const key of keys) {
            expect(await cache.has(key)).toBe(!expected.includes(key));
            expect(await outsider.get(key)).toBe(key);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never leaves the prefix with "*"', async () => {
    const store = new MemoryCacheStore();
    const a = new CacheService(store, { defaultTTL: 60, keyPrefix: 'a' });
    const a2 = new CacheService(store, { defaultTTL: 60, keyPrefix: 'a2' });
    const b = new CacheService(store, { defaultTTL: 60, keyPrefix: 'b' });
    for (const cache of [a, a2, b]) await cache.set('x', 1);
    await store.set('a', 'bare', 60_000);
    expect(await a.delByPattern('*')).toBe(1);
    expect(await a2.get('x')).toBe(1);
    expect(await b.get('x')).toBe(1);
    expect(await store.get('a')).toBe('bare');
  });

  it('refuses an empty pattern', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
    await expect(cache.delByPattern('')).rejects.toThrow(
      expect.objectContaining({ code: 'E_INVALID_PATTERN' }),
    );
    await expect(cache.delByPattern(5 as never)).rejects.toThrow(
      /pattern must be a non-empty string/,
    );
  });
});
