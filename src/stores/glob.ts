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

/** Compiles a store pattern into a predicate over keys. */
export function compileGlob(pattern: string): (key: string) => boolean {
  const tokens = parseGlob(pattern);
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only?.type === 'literal') {
    const text = only.text;
    return (key) => key === text;
  }
  const source = tokens
    .map((token) =>
      token.type === 'star'
        ? '.*'
        : token.type === 'one'
          ? '.'
          : token.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const regex = new RegExp(`^${source}$`, 'su');
  return (key) => regex.test(key);
}
