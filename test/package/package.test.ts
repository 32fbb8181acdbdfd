import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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
    'loads through %s without loading ioredis or the AWS SDK, even with both stores constructed',
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
