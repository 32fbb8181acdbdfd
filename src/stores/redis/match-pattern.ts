import { parseGlob } from '../glob.js';

/** A store pattern translated for Redis `SCAN … MATCH`. */
export interface RedisMatch {
  /** The MATCH argument: every key the pattern matches, matches it. */
  match: string;
  /**
   * Whether MATCH selects exactly the keys the pattern does. When false, keys SCAN
   * returns must be checked with `compileGlob`.
   */
  exact: boolean;
}

/**
 * Translates a store pattern (see `glob.ts`) into a Redis glob. Literal text has Redis's
 * specials (`\ * ? [ ]`) escaped and `*` stays `*`. Redis's `?` matches one byte while
 * ours matches one code point (1–4 UTF-8 bytes), so `?` becomes `*` and the translation
 * is a superset; the caller filters then.
 */
export function toRedisMatch(pattern: string): RedisMatch {
  let match = '';
  let exact = true;
  for (const token of parseGlob(pattern)) {
    if (token.type === 'literal') match += token.text.replace(/[\\*?[\]]/g, '\\$&');
    else {
      match += '*';
      if (token.type === 'one') exact = false;
    }
  }
  return { match, exact };
}
