/**
 * Stale-while-revalidate under stale reads, on Redis: how many refreshes one stale window
 * costs. In one process: 200 concurrent then 200 sequential reads of a stale entry; in two
 * processes: 200 concurrent reads each. glasswork `wrapSWR` (with its cross-process refresh
 * lease), bentocache `getOrSet` with a grace period, cache-manager `wrap` with `refreshThreshold`.
 */
import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { runWorkers } from '../../test/helpers/workers.js';
import { type Contender, LIBRARIES, type Library, openContender } from '../contenders/index.js';
import type { ChartBar, Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { fmt, percentile, sleep } from '../harness/stats.js';
import { runPeerWorkers } from '../workers/run-peers.js';

const READS = 200;
const LOADER_MS = 50;
const STALE_SEC = 1;
const MAX_SEC = 60;
const SEED = { by: 'seed' };

interface Outcome {
  refreshes: number;
  stale: number;
  reads: number;
  p99Ms: number;
}

function outcome(reports: readonly WorkerReport[]): Outcome {
  const results = reports.flatMap((report) => report.results);
  return {
    refreshes: reports.reduce((sum, report) => sum + report.loaderCalls, 0),
    stale: results.filter((value) => JSON.stringify(value) === JSON.stringify(SEED)).length,
    reads: results.length,
    p99Ms: percentile(
      reports.flatMap((report) => report.latenciesMs),
      99,
    ),
  };
}

/** Writes the seed entry through `contender` with the scenario's SWR settings. */
const seed = (contender: Contender, key: string) =>
  contender.swr(key, STALE_SEC, MAX_SEC, async () => SEED);

/** One process: concurrent reads, then sequential ones, all inside the stale window. */
async function inProcess(contender: Contender, key: string): Promise<WorkerReport> {
  let loaderCalls = 0;
  const loader = async () => {
    loaderCalls++;
    await sleep(LOADER_MS);
    return { by: 'refresh', at: Date.now() };
  };
  const latenciesMs: number[] = [];
  const read = async () => {
    const begin = performance.now();
    const value = await contender.swr(key, STALE_SEC, MAX_SEC, loader);
    latenciesMs.push(performance.now() - begin);
    return value;
  };
  const results = await Promise.all(Array.from({ length: READS }, read));
  for (let i = 0; i < READS; i++) results.push(await read());
  await sleep(LOADER_MS + 200); // background refreshes finish
  return { pid: process.pid, loaderCalls, results, latenciesMs };
}

export const swr: Scenario = {
  id: 'swr',
  title: 'Stale-while-revalidate: refreshes per stale window',
  async run(ctx) {
    const { url } = await ctx.redis();
    const backend = { kind: 'redis', url } as const;
    const runId = Date.now();
    const prefix = (library: Library) => `swr-${library}`;
    const contenders = LIBRARIES.map((library) => openContender(library, backend, prefix(library)));
    const results: Array<[string, Library, Outcome]> = [];
    try {
      const single = `single-${runId}`;
      const shared = `shared-${runId}`;
      for (const contender of contenders) {
        await seed(contender, single);
        await seed(contender, shared);
      }
      await sleep(STALE_SEC * 1000 + 150);
      for (const contender of contenders) {
        ctx.log(`1 process: ${contender.library}`);
        results.push([
          '1 process',
          contender.library,
          outcome([await inProcess(contender, single)]),
        ]);
      }
      for (const library of LIBRARIES) {
        ctx.log(`2 processes: ${library}`);
        const job = { key: shared, callers: READS, loaderMs: LOADER_MS, mode: 'swr' } as const;
        const reports =
          library === 'glasswork'
            ? await runWorkers(2, {
                ...job,
                store: backend,
                keyPrefix: prefix(library),
                lock: false,
              })
            : await runPeerWorkers(2, { ...job, library, backend, prefix: prefix(library) });
        results.push(['2 processes', library, outcome(reports)]);
      }
    } finally {
      await Promise.all(contenders.map((contender) => contender.close()));
    }
    const checks: Check[] = [];
    const bars: ChartBar[] = [];
    const rows = results.map(([shape, library, o]) => {
      const target = library === 'glasswork' ? 1 : undefined;
      const pass = o.refreshes === target;
      if (target !== undefined) {
        checks.push({
          name: `SWR, ${shape}: glasswork refreshes per stale window`,
          measured: String(o.refreshes),
          target: String(target),
          pass,
        });
      }
      bars.push({
        label: `${shape}: ${library}`,
        value: o.refreshes,
        highlight: library === 'glasswork',
      });
      return [
        shape,
        library,
        String(o.refreshes),
        `${o.stale} of ${o.reads}`,
        fmt(o.p99Ms, 1),
        target === undefined ? '' : String(target),
        target === undefined ? '' : verdict(pass),
      ];
    });
    return {
      method: [
        `Each library writes an entry that is fresh for ${STALE_SEC} s and may be served stale until ${MAX_SEC} s, on a private \`redis-server\`; ${STALE_SEC * 1000 + 150} ms later it is stale. Then, with a loader that takes ${LOADER_MS} ms: in one process, ${READS} concurrent reads followed by ${READS} sequential ones; in two processes (released together), ${READS} concurrent reads each. The table counts loader calls (refreshes), reads answered with the stale value, and the slowest reads.`,
        `glasswork: \`wrapSWR(key, ${STALE_SEC}, ${MAX_SEC}, fn)\`, with its cross-process refresh lease (on by default). bentocache (L2 only): \`getOrSet({ key, factory, ttl: ${STALE_SEC * 1000}, grace: ${MAX_SEC * 1000} })\` (milliseconds); with a grace period and its default soft \`timeout\` of 0 it returns the graced value at once and runs the factory in the background. cache-manager: \`wrap(key, fn, { ttl: ${MAX_SEC * 1000}, refreshThreshold: ${(MAX_SEC - STALE_SEC) * 1000} })\`, which refreshes in the background once less than \`refreshThreshold\` ms of the TTL remain. Neither peer coordinates refreshes across processes.`,
      ].join('\n\n'),
      tables: [
        {
          columns: [
            'processes',
            'library',
            'refreshes',
            'served stale',
            'p99 read ms',
            'target',
            'result',
          ],
          rows,
        },
      ],
      checks,
      panels: [
        {
          title: 'Stale-while-revalidate: refreshes per stale window (lower is better)',
          bars,
          target: { value: 1, label: 'target 1' },
        },
      ],
    };
  },
};
