/**
 * Cold-key stampede across processes: 4 processes × 250 concurrent callers (and 1 × 1000) on
 * one key, on Redis and DynamoDB (dynalite). glasswork with and without `lock: true`
 * (test/fixtures/stampede-worker.ts), bentocache and cache-manager (bench/workers/peer-worker.ts).
 */
import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { runWorkers } from '../../test/helpers/workers.js';
import type { Backend } from '../contenders/index.js';
import { CALLER_COLUMNS, callerCells, callerFigures } from '../harness/callers.js';
import type { ChartBar, Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { runPeerWorkers } from '../workers/run-peers.js';

const LOADER_MS = 100;

interface Run {
  store: 'Redis' | 'DynamoDB';
  shape: [processes: number, callers: number];
  library: string;
  start(key: string): Promise<WorkerReport[]>;
  /** Loader calls expected in total, where that is a target. */
  target?: number;
}

export const stampede: Scenario = {
  id: 'stampede',
  title: 'Cold key across processes: 4 × 250 and 1 × 1000 callers',
  async run(ctx) {
    const { url } = await ctx.redis();
    const dynalite = await ctx.dynalite();
    const gwTable = await dynalite.glassworkTable();
    const bentoTable = await dynalite.bentocacheTable();
    const shapes: Array<[number, number]> = ctx.pick(
      [
        [4, 250],
        [1, 1000],
      ],
      [[4, 250]],
    );
    const runs: Run[] = [];
    for (const shape of shapes) {
      const [processes, callers] = shape;
      const glasswork = (store: Run['store'], lock: boolean): Run => ({
        store,
        shape,
        library: lock ? 'glasswork, lock: true' : 'glasswork',
        ...(lock && processes > 1 ? { target: 1 } : {}),
        start: (key) =>
          runWorkers(processes, {
            store:
              store === 'Redis'
                ? { kind: 'redis', url }
                : { kind: 'dynamodb', endpoint: dynalite.endpoint, tableName: gwTable },
            mode: 'wrap',
            key,
            keyPrefix: 'stampede',
            callers,
            lock,
            loaderMs: LOADER_MS,
          }),
      });
      const peer = (store: Run['store'], library: 'bentocache' | 'cache-manager'): Run => {
        const backend: Backend =
          store === 'Redis'
            ? { kind: 'redis', url }
            : { kind: 'dynamodb', endpoint: dynalite.endpoint, tableName: bentoTable };
        return {
          store,
          shape,
          library,
          start: (key) =>
            runPeerWorkers(processes, {
              library,
              backend,
              mode: 'wrap',
              key,
              prefix: 'stampede',
              callers,
              loaderMs: LOADER_MS,
            }),
        };
      };
      runs.push(
        glasswork('Redis', false),
        glasswork('Redis', true),
        peer('Redis', 'bentocache'),
        peer('Redis', 'cache-manager'),
      );
      if (!ctx.quick) {
        runs.push(
          glasswork('DynamoDB', false),
          glasswork('DynamoDB', true),
          peer('DynamoDB', 'bentocache'),
        );
      }
    }
    const rows: string[][] = [];
    const checks: Check[] = [];
    const bars: ChartBar[] = [];
    for (const [i, run] of runs.entries()) {
      const [processes, callers] = run.shape;
      ctx.log(`${run.store}, ${processes} × ${callers}: ${run.library}`);
      const figures = callerFigures(await run.start(`cold-${Date.now()}-${i}`));
      const pass = run.target === undefined || figures.loaderCalls === run.target;
      rows.push([
        run.store,
        `${processes} × ${callers}`,
        run.library,
        ...callerCells(figures),
        run.target === undefined ? '' : `${run.target}`,
        run.target === undefined ? '' : verdict(pass),
      ]);
      if (run.target !== undefined) {
        checks.push({
          name: `Cold key, ${run.store}, ${processes} × ${callers} callers: ${run.library} loader calls`,
          measured: String(figures.loaderCalls),
          target: String(run.target),
          pass,
        });
      }
      if (processes > 1) {
        bars.push({
          label: `${run.store}: ${run.library}`,
          value: figures.loaderCalls,
          highlight: run.library.startsWith('glasswork'),
        });
      }
    }
    return {
      method: [
        `Every process connects first, then all are released together; each starts its callers at once, all calling the library's cache-aside function on one cold key with a loader that takes ${LOADER_MS} ms. Latency is per caller, from release to value, over all processes. The store is a private \`redis-server\`, or dynalite in a child process.`,
        'glasswork runs `wrap(key, 60, loader)` (`test/fixtures/stampede-worker.ts`), with and without `lock: true` (cross-process single-flight through a lease in the store; waiters poll for the value). bentocache runs `getOrSet({ key, factory, ttl })` (L2 only) and cache-manager `wrap(key, fn, ttl)` on Redis (`bench/workers/peer-worker.ts`); both de-duplicate within a process only. cache-manager has no DynamoDB store.',
      ].join('\n\n'),
      tables: [
        {
          columns: [
            'store',
            'processes × callers',
            'library',
            ...CALLER_COLUMNS,
            'target',
            'result',
          ],
          rows,
        },
      ],
      checks,
      panels: [
        {
          title: `Cold key, ${shapes[0]![0]} processes × ${shapes[0]![1]} callers: loader calls (lower is better)`,
          bars,
          target: { value: 1, label: 'target 1 (with lock)' },
        },
      ],
    };
  },
};
