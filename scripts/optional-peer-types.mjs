/**
 * Runs after tsup. The declaration files import types from ioredis, an optional peer; a
 * project without it that type-checks libraries (`skipLibCheck: false`) would fail on that
 * import. Marking the import `@ts-ignore` makes those types `any` there instead, and changes
 * nothing where ioredis is installed.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const MARK = '// @ts-ignore -- ioredis is an optional peer; without it these types are any\n';
const PEER_IMPORT = /^import [^\n]* from 'ioredis';$/m;

for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  const match = PEER_IMPORT.exec(text);
  if (match === null) throw new Error(`${file}: no ioredis type import found to mark`);
  writeFileSync(file, text.slice(0, match.index) + MARK + text.slice(match.index));
}
