/**
 * Runs after tsup. The declaration files import types from ioredis, an optional peer; a
 * project without it that type-checks libraries (`skipLibCheck: false`) would fail on that
 * import. Marking each such import `@ts-ignore` makes those types `any` there instead.
 * Where ioredis is installed the types resolve as before (the mark would also hide an
 * error on that import line itself, e.g. a name missing from some ioredis version; the
 * typecheck of src/, which imports the same names, catches that).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MARK = '// @ts-ignore -- ioredis is an optional peer; without it these types are any';
const PEER_IMPORT = /^import .* from 'ioredis';$/;

for (const name of ['index.d.ts', 'index.d.cts']) {
  const file = fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
  const lines = readFileSync(file, 'utf8').split('\n');
  const marked = lines.flatMap((line, i) =>
    PEER_IMPORT.test(line) && lines[i - 1] !== MARK ? [MARK, line] : [line],
  );
  const imports = lines.filter((line) => PEER_IMPORT.test(line)).length;
  if (imports === 0) throw new Error(`${name}: no ioredis type import found to mark`);
  writeFileSync(file, marked.join('\n'));
}
