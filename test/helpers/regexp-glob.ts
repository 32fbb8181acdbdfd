import { parseGlob } from 'glasswork';

/**
 * The RegExp-based `compileGlob` that linear matching replaced (exponential on patterns
 * with several stars, so only for short keys): property tests check that the public
 * behaviour did not change, corners included.
 */
export function regexpGlob(pattern: string): (key: string) => boolean {
  const source = parseGlob(pattern)
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
