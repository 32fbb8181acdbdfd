/** Every error code the library declares is documented in docs/errors.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('documents every declared error code', () => {
    const declared = [read('src/errors.ts'), read('src/module/errors.ts')]
      .join('\n')
      .match(/\| '(E_[A-Z_]+)'/g)!
      .map((match) => match.slice(3, -1));
    expect(declared.length).toBeGreaterThan(20);
    const documented = read('docs/errors.md');
    const missing = declared.filter((code) => !documented.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
