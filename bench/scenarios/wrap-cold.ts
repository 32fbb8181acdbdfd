/**
 * `wrap` on a cold key with 1000 concurrent callers in one process, on memory and on Redis:
 * glasswork `wrap`, bentocache `getOrSet`, cache-manager `wrap`.
 */
import type { WorkerReport } from '../../test/fixtures/stampede-worker.js';
import { type Backend, LIBRARIES, openContender } from '../contenders/index.js';
import { CALLER_COLUMNS, callerCells, callerFigures } from '../harness/callers.js';
import type { Scenario } from '../harness/scenario.js';
import { sleep } from '../harness/stats.js';

const CALLERS = 1000;
const LOADER_MS = 50;

export const wrapCold: Scenario = {
  id: 'wrap-cold',
  title: '`wrap` on a cold key, 1000 concurrent callers in one process',
  async run(ctx) {
    const { url } = await ctx.redis();
    const backends: Array<[string, Backend]> = [
      ['memory', { kind: 'memory' }],
      ['Redis', { kind: 'redis', url }],
    ];
    const rows: string[][] = [];
    for (const [store, backend] of backends) {
      for (const library of LIBRARIES) {
        const contender = openContender(library, backend, `cold-${library}`);
        try {
          await contender.get('warm-up'); // connect first
          let loaderCalls = 0;
          const loader = async () => {
            loaderCalls++;
            await sleep(LOADER_MS);
            return { computedAt: Date.now() };
          };
          const key = `cold-${Date.now()}`;
          const latenciesMs: number[] = [];
          const results = await Promise.all(
            Array.from({ length: CALLERS }, async () => {
              const begin = performance.now();
              const value = await contender.wrap(key, 60, loader);
              latenciesMs.push(performance.now() - begin);
              return value;
            }),
          );
          const report: WorkerReport = { pid: process.pid, loaderCalls, results, latenciesMs };
          rows.push([store, library, ...callerCells(callerFigures([report]))]);
        } finally {
          await contender.close();
        }
      }
    }
    return {
      method: `${CALLERS} calls start at once on one cold key; the loader takes ${LOADER_MS} ms. Memory: glasswork \`MemoryCacheStore\`, bentocache \`memoryDriver\` (L1), cache-manager \`createCache()\` (Keyv in memory). Redis: the stores of the Redis hit scenario, on a private \`redis-server\`. Calls: glasswork \`wrap(key, 60, loader)\`, bentocache \`getOrSet({ key, factory, ttl })\`, cache-manager \`wrap(key, loader, ttl)\`. One loader call is the ideal; latency is per caller.`,
      tables: [{ columns: ['store', 'library', ...CALLER_COLUMNS], rows }],
    };
  },
};
