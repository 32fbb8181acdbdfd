import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/peer-free-import.mjs', import.meta.url));

describe('built package', () => {
  it('exists (npm test builds it first)', () => {
    expect(existsSync(`${root}dist/index.js`)).toBe(true);
    expect(existsSync(`${root}dist/index.cjs`)).toBe(true);
  });

  it.each(['esm', 'cjs'])(
    'loads through %s without loading ioredis, node-redis or the AWS SDK, even with the stores constructed',
    async (mode) => {
      const { stdout } = await run(process.execPath, [fixture, mode], {
        cwd: root,
        timeout: 15_000,
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(result).toMatchObject({ mode, value: { ok: true } });
      expect(result.exports).toBeGreaterThan(10);
      expect(result.redis).toBe('redis');
    },
  );
});

describe('published files', () => {
  it('hold the license, the docs, and every file the README and docs link to', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      timeout: 60_000,
    });
    const files = new Set<string>(
      (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path),
    );
    for (const required of ['LICENSE', 'README.md', 'package.json', 'docs/lambda-bundling.md']) {
      expect(files.has(required), required).toBe(true);
    }
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) the glasswork authors\n/);
    const documents = [...files].filter((file) => file.endsWith('.md'));
    const dead: string[] = [];
    for (const doc of documents) {
      const text = readFileSync(join(root, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
        const path = normalize(join(dirname(doc), target!.split('#')[0]!));
        if (!files.has(path)) dead.push(`${doc} -> ${target}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it('start the README with installing the package, and keep the contributor commands', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const install = readme.indexOf('npm install glasswork');
    const development = readme.indexOf('## Development');
    expect(install).toBeGreaterThan(0);
    expect(install).toBeLessThan(readme.indexOf('## Usage'));
    expect(development).toBeGreaterThan(install);
    const commands = readme.slice(development).split('```bash\n')[1]!.split('\n');
    expect(commands[0]).toMatch(/^npm start\b/);
    expect(commands[1]).toMatch(/^npm test\b/);
  });
});
