/**
 * `import()` time of each library in a fresh `node` process, minus the same measurement of
 * an empty module: glasswork (built `dist/`), bentocache, cache-manager.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ensureBuilt } from '../harness/build.js';
import { ROOT } from '../harness/context.js';
import type { Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { append, fmt, median, percentile } from '../harness/stats.js';

const run = promisify(execFile);
const PROBE =
  'const begin = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - begin));';
const TARGET_MS = 10;

/** Milliseconds `import(specifier)` takes in a new process started in the repository. */
async function importMs(specifier: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', PROBE, specifier], {
    cwd: ROOT,
    timeout: 30_000,
  });
  return Number(stdout);
}

export const importTime: Scenario = {
  id: 'import-time',
  title: '`import()` time in a fresh process',
  async run(ctx) {
    ensureBuilt((message) => ctx.log(message));
    const dir = mkdtempSync(join(tmpdir(), 'glasswork-bench-'));
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export {};\n');
    const EMPTY = 'empty module (baseline)';
    const modules: Record<string, string> = {
      [EMPTY]: pathToFileURL(empty).href,
      glasswork: 'glasswork',
      bentocache: 'bentocache',
      'cache-manager': 'cache-manager',
    };
    const runs = ctx.pick(25, 5);
    const samples: Record<string, number[]> = {};
    try {
      ctx.log(`${runs} rounds, modules in rotating order`);
      const names = Object.keys(modules);
      for (let round = 0; round < runs; round++) {
        for (let i = 0; i < names.length; i++) {
          const name = names[(i + round) % names.length]!;
          append(samples, name, await importMs(modules[name]!));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const base = median(samples[EMPTY]!);
    const net = (name: string) => median(samples[name]!) - base;
    const glassworkMs = net('glasswork');
    const checks: Check[] = [
      {
        name: '`import()` time: glasswork',
        measured: `${fmt(glassworkMs, 1)} ms`,
        target: `≤ ${TARGET_MS} ms`,
        pass: glassworkMs <= TARGET_MS,
      },
    ];
    return {
      method: `Each run starts \`node --input-type=module -e …\` in the repository and times \`await import(specifier)\` with \`performance.now()\` inside that process (Node.js start-up is not included). glasswork resolves to the built \`dist/index.js\` (its package exports), bentocache and cache-manager to their ESM entry points; no driver or store is imported. ${runs} rounds, the modules' order rotating each round. The figure is the median of the runs minus the median for an empty module measured the same way (${fmt(base, 2)} ms), which is the cost of \`import()\` itself.`,
      tables: [
        {
          columns: [
            'module',
            'median ms',
            'net of empty module, ms',
            'p25–p75 ms',
            'target',
            'result',
          ],
          rows: Object.keys(modules).map((name) => [
            name,
            fmt(median(samples[name]!), 2),
            name === EMPTY ? '' : fmt(net(name), 1),
            `${fmt(percentile(samples[name]!, 25), 1)}–${fmt(percentile(samples[name]!, 75), 1)}`,
            name === 'glasswork' ? `≤ ${TARGET_MS} ms` : '',
            name === 'glasswork' ? verdict(checks[0]!.pass) : '',
          ]),
        },
      ],
      checks,
      panels: [
        {
          title: '`import()` time in a fresh process, ms net of an empty module (lower is better)',
          bars: ['glasswork', 'bentocache', 'cache-manager'].map((name) => ({
            label: name,
            value: net(name),
            text: `${fmt(net(name), 1)} ms`,
            highlight: name === 'glasswork',
          })),
          target: { value: TARGET_MS, label: `target ≤ ${TARGET_MS} ms` },
        },
      ],
    };
  },
};
