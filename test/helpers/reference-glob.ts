/**
 * A deliberately naive reference matcher for store patterns, over code points: `*` any
 * run, `?` one code point, a backslash escapes, all else literal. Property tests compare the real
 * matchers (and stores) against it.
 */
export function referenceMatch(pattern: string, key: string): boolean {
  const p: Array<{ kind: 'lit' | 'star' | 'one'; ch?: string }> = [];
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\' && i + 1 < chars.length) p.push({ kind: 'lit', ch: chars[++i] });
    else if (chars[i] === '*') p.push({ kind: 'star' });
    else if (chars[i] === '?') p.push({ kind: 'one' });
    else p.push({ kind: 'lit', ch: chars[i] });
  }
  const k = [...key];
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const id = `${i},${j}`;
    if (memo.has(id)) return memo.get(id)!;
    let result: boolean;
    if (i === p.length) result = j === k.length;
    else if (p[i]!.kind === 'star') result = go(i + 1, j) || (j < k.length && go(i, j + 1));
    else if (j === k.length) result = false;
    else if (p[i]!.kind === 'one') result = go(i + 1, j + 1);
    else result = p[i]!.ch === k[j] && go(i + 1, j + 1);
    memo.set(id, result);
    return result;
  };
  return go(0, 0);
}
