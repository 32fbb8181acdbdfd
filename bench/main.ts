/**
 * The benchmark harness: runs each scenario for glasswork and its peers in this process (and
 * the child processes it starts), prints ratios to each baseline, and on a full run writes
 * docs/benchmarks.md and docs/benchmarks.svg.
 *
 *   npm run bench                              every scenario, then the report
 *   npx tsx bench/main.ts --only redis-hit     one scenario (comma-separate several)
 *   npx tsx bench/main.ts --quick              fewer rounds; --list names the scenarios
 *   --write                                    write the report after an --only run too
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, release, type } from 'node:os';
import { join } from 'node:path';
import { renderChart } from './chart-svg.js';
import { Context, ROOT } from './harness/context.js';
import type { ScenarioResult } from './harness/result.js';
import { within } from './harness/stats.js';
import { checksTable, markdownTable, renderReport } from './report.js';
import { SCENARIOS } from './scenarios/index.js';

/** The longest one scenario may run; its servers are stopped at the end of the run. */
const SCENARIO_LIMIT_MS = 240_000;

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const only = args.flatMap((arg, i) => (args[i - 1] === '--only' ? arg.split(',') : []));

if (flag('--list')) {
  for (const s of SCENARIOS)
    console.log(`${s.id.padEnd(18)} ${s.title}${s.extra ? ' (extra)' : ''}`);
  process.exit(0);
}
const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; --list names them`);
  process.exit(2);
}
const selected = SCENARIOS.filter((s) => (only.length > 0 ? only.includes(s.id) : !s.extra));
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const facts = {
  command: ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown'}`,
  os: `${type()} ${release()}`,
  loadStart: load(),
};
console.log(
  `glasswork benchmarks: ${selected.length} scenarios${flag('--quick') ? ' (quick)' : ''}; node ${facts.node}, ${facts.cpus}, load ${facts.loadStart}\n`,
);

const ctx = new Context({ quick: flag('--quick') });
const results: ScenarioResult[] = [];
const started = performance.now();
try {
  for (const [i, scenario] of selected.entries()) {
    console.log(`[${i + 1}/${selected.length}] ${scenario.title} (${scenario.id})`);
    const begin = performance.now();
    let result: ScenarioResult;
    try {
      const output = await within(scenario.run(ctx), SCENARIO_LIMIT_MS, scenario.id);
      result = { ...output, id: scenario.id, title: scenario.title, seconds: 0 };
    } catch (error) {
      console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      result = {
        id: scenario.id,
        title: scenario.title,
        seconds: 0,
        method: '',
        tables: [],
        error: message,
      };
      process.exitCode = 1;
    }
    result.seconds = (performance.now() - begin) / 1000;
    results.push(result);
    for (const table of result.tables) {
      console.log(`\n${table.caption ?? ''}\n${markdownTable(table)}`);
    }
    for (const note of result.notes ?? []) console.log(`\n${note}`);
    console.log(`  (${result.seconds.toFixed(1)} s)\n`);
  }
} finally {
  await ctx.close();
}

const seconds = (performance.now() - started) / 1000;
const checks = results.flatMap((result) => result.checks ?? []);
if (checks.length > 0) console.log(`Targets\n${markdownTable(checksTable(checks))}\n`);
console.log(`Done in ${seconds.toFixed(0)} s.`);
if (only.length === 0 || flag('--write')) {
  const report = renderReport(results, { ...facts, loadEnd: load(), seconds });
  const panels = results.flatMap((result) => result.panels ?? []);
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), report);
  writeFileSync(
    join(ROOT, 'docs', 'benchmarks.svg'),
    renderChart(
      panels,
      `glasswork benchmarks, ${facts.date.slice(0, 10)}, ${facts.cpus}, Node ${facts.node}`,
    ),
  );
  console.log('Wrote docs/benchmarks.md and docs/benchmarks.svg.');
}
// A scenario that failed or timed out may still hold sockets or timers: do not wait for them.
if (process.exitCode) process.exit();
