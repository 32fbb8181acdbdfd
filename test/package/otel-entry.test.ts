import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

const program = (mode: 'esm' | 'cjs') => {
  const load =
    mode === 'esm'
      ? "const otel = await import('glasswork/otel'); const glasswork = await import('glasswork');"
      : "const otel = require('glasswork/otel'); const glasswork = require('glasswork');";
  const body = `${load}
    const stop = otel.instrumentGlasswork({ keys: 'hash' });
    const cache = new glasswork.CacheService(new glasswork.MemoryCacheStore(), { defaultTTL: 5 });
    const value = await cache.wrap('k', 5, async ({ signal }) => ({ aborted: signal.aborted }));
    stop();
    console.log(JSON.stringify({ value, exports: Object.keys(otel) }));`;
  return mode === 'esm' ? body : `(async () => { ${body} })();`;
};

describe('glasswork/otel (built package)', () => {
  it.each(['esm', 'cjs'] as const)('loads through %s and instruments a cache', async (mode) => {
    const { stdout } = await run(
      process.execPath,
      [mode === 'esm' ? '--input-type=module' : '--input-type=commonjs', '-e', program(mode)],
      { cwd: root, timeout: 15_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({ value: { aborted: false }, exports: ['instrumentGlasswork'] });
  });

  it('stays out of the core bundles', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const text = readFileSync(`${root}${file}`, 'utf8');
      expect(text).not.toContain('@opentelemetry');
      expect(text).not.toContain('instrumentGlasswork');
    }
  });
});
