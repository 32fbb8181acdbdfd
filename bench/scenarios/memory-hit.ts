/**
 * In-memory hit path (an extra scenario): lru-cache `get` + `JSON.parse` (the baseline: a
 * copy per read, as every store here returns) against glasswork `CacheService.get` on
 * `MemoryCacheStore`, bentocache's memory driver (L1) and cache-manager's default store.
 */
import { LRUCache } from 'lru-cache';
import { LIBRARIES, openContender } from '../contenders/index.js';
import { type Contestant, interleave, loopBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { Scenario } from '../harness/scenario.js';

const KEYS = 1000;
const VALUE = { id: 42, name: 'Ada Lovelace', roles: ['admin', 'author'], active: true };
const BASELINE = 'lru-cache get + JSON.parse';

export const memoryHit: Scenario = {
  id: 'memory-hit',
  title: 'In-memory hit',
  extra: true,
  async run(ctx) {
    const lru = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
    const contenders = LIBRARIES.map((library) =>
      openContender(library, { kind: 'memory' }, 'mem'),
    );
    try {
      for (let i = 0; i < KEYS; i++) {
        lru.set(`k${i}`, JSON.stringify(VALUE));
        for (const contender of contenders) await contender.set(`k${i}`, VALUE, 60);
      }
      let i = 0;
      const next = () => `k${i++ % KEYS}`;
      const baseline: Contestant = {
        name: BASELINE,
        call: async () => JSON.parse(lru.get(next())!),
      };
      const others = contenders.map((c) => ({ name: c.library, call: () => c.get(next()) }));
      const rounds = ctx.pick(15, 5);
      const calls = ctx.pick(20_000, 5000);
      ctx.log(`${rounds} rounds of ${calls} calls per batch`);
      const result = await interleave(baseline, others, loopBatch(calls), {
        rounds,
        budgetMs: 30_000,
      });
      const summary = ratioSummary(result, BASELINE, {
        title: 'In-memory hit, sequential',
        unit: 'ns per call (median of batches)',
        digits: 0,
        lowerIsBetter: true,
      });
      return {
        method: `${KEYS} keys of a ${JSON.stringify(VALUE).length}-byte JSON value, read in turn; batches of ${calls} awaited calls (mean ns per call), alternating with baseline batches as in the Redis scenario. glasswork: \`CacheService\` on \`MemoryCacheStore\`; bentocache: \`memoryDriver\` as L1 (serializes, its default); cache-manager: \`createCache()\` (its in-memory Keyv store returns the stored object itself, no copy).`,
        tables: [summary.table],
        panels: [summary.panel],
      };
    } finally {
      await Promise.all(contenders.map((contender) => contender.close()));
    }
  },
};
