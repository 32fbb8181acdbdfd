/**
 * The pattern language stores receive in `delByPattern`:
 * `*` matches any run of characters (`:` included), `?` exactly one character
 * (a Unicode code point), `\` makes the next character literal, and every other
 * character is literal.
 *
 * Users write patterns without escapes; the service escapes the key prefix and any
 * backslash in the user's pattern before handing the pattern to a store.
 */
export type GlobToken = { type: 'literal'; text: string } | { type: 'star' } | { type: 'one' };

/** Splits a store pattern into literal runs and wildcards. */
export function parseGlob(pattern: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ type: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) {
      literal += pattern[++i];
    } else if (char === '*') {
      flush();
      if (tokens.at(-1)?.type !== 'star') tokens.push({ type: 'star' });
    } else if (char === '?') {
      flush();
      tokens.push({ type: 'one' });
    } else {
      literal += char;
    }
  }
  flush();
  return tokens;
}

/** Escapes `\`, `*` and `?` so that `text` matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?]/g, '\\$&');
}

/** The literal text every key matching `pattern` starts with (for prefix scans). */
export function globLiteralPrefix(pattern: string): string {
  const first = parseGlob(pattern)[0];
  return first?.type === 'literal' ? first.text : '';
}

/** An atom of a compiled pattern: a code point (≥ 0), or one of these wildcards. */
const ONE = -1;
const STAR = -2;

/**
 * Compiles a store pattern into a predicate over keys. Matching takes time linear in the
 * key for each star, O(key length × pattern length) at worst: a mismatch backtracks only
 * to the last `*` seen, never to earlier ones, so no pattern can take exponential time
 * (a backtracking RegExp could: `*-*-*-*-?end` against a long key took seconds).
 */
export function compileGlob(pattern: string): (key: string) => boolean {
  const tokens = parseGlob(pattern);
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only?.type === 'literal') {
    const text = only.text;
    return (key) => key === text;
  }
  const atoms: number[] = [];
  for (const token of tokens) {
    if (token.type === 'star') atoms.push(STAR);
    else if (token.type === 'one') atoms.push(ONE);
    else for (const char of token.text) atoms.push(char.codePointAt(0)!);
  }
  return (key) => matchAtoms(atoms, key);
}

/**
 * Whether `key` matches `atoms`, walking both once. On a mismatch after a `*`, that star
 * absorbs one more code point and matching resumes after it; earlier stars stay fixed,
 * since any split they could take is covered by the later star's wider choices.
 */
function matchAtoms(atoms: readonly number[], key: string): boolean {
  const count = atoms.length;
  let atom = 0;
  let at = 0;
  /** The last star seen, and where in the key its match currently ends. */
  let star = -1;
  let starEnd = 0;
  while (at < key.length) {
    if (atom < count && atoms[atom] === STAR) {
      star = atom++;
      starEnd = at;
      continue;
    }
    if (atom < count) {
      const codePoint = key.codePointAt(at)!;
      const expected = atoms[atom];
      if (expected === ONE || expected === codePoint) {
        atom++;
        at += codePoint > 0xffff ? 2 : 1;
        continue;
      }
    }
    if (star < 0) return false;
    atom = star + 1;
    starEnd += key.codePointAt(starEnd)! > 0xffff ? 2 : 1;
    at = starEnd;
  }
  while (atom < count && atoms[atom] === STAR) atom++;
  return atom === count;
}
