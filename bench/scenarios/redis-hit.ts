/**
 * Redis hit path: raw ioredis `GET` + `JSON.parse` (the baseline) against glasswork's
 * `CacheService.get` on `RedisCacheStore`, bentocache (Redis driver, L2 only) and
 * cache-manager (Keyv + @keyv/redis), sequentially and with 100 calls in flight.
 */
import { Redis } from 'ioredis';
import { LIBRARIES, openContender } from '../contenders/index.js';
import type { Contestant } from '../harness/interleave.js';
import { inFlightBatch, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { Scenario } from '../harness/scenario.js';

const VALUE = {
  id: 123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'editor'],
  createdAt: '2024-01-01T00:00:00.000Z',
  preferences: { theme: 'dark', language: 'en', notifications: { email: true, sms: false } },
};
const RAW = 'raw ioredis GET + JSON.parse';

export const redisHit: Scenario = {
  id: 'redis-hit',
  title: 'Redis hit: sequential latency and 100 in flight',
  async run(ctx) {
    const { url } = await ctx.redis();
    const raw = new Redis(url);
    const contenders = LIBRARIES.map((library) =>
      openContender(library, { kind: 'redis', url }, `hit-${library}`),
    );
    try {
      await raw.set('hit-raw:user', JSON.stringify(VALUE));
      const contestants: Contestant[] = [];
      for (const contender of contenders) {
        await contender.set('user', VALUE, 3600);
        contestants.push({ name: contender.library, call: () => contender.get('user') });
      }
      const baseline: Contestant = {
        name: RAW,
        call: async () => JSON.parse((await raw.get('hit-raw:user'))!),
      };
      for (const { name, call } of [baseline, ...contestants]) {
        if (JSON.stringify(await call()) !== JSON.stringify(VALUE))
          throw new Error(`${name} misread`);
      }
      const rounds = ctx.pick(25, 5);
      const latencyCalls = ctx.pick(1000, 300);
      const total = ctx.pick(10_000, 3000);
      ctx.log(`sequential: ${rounds} rounds of ${latencyCalls} calls per batch`);
      const sequential = await interleave(baseline, contestants, sequentialBatch(latencyCalls), {
        rounds,
        budgetMs: 60_000,
      });
      ctx.log(`100 in flight: ${rounds} rounds of ${total} calls per batch`);
      const inFlight = await interleave(baseline, contestants, inFlightBatch(total, 100), {
        rounds,
        budgetMs: 120_000,
      });
      const latency = ratioSummary(sequential, RAW, {
        title: 'Redis hit, sequential',
        unit: 'µs per call (median of batches)',
        digits: 1,
        lowerIsBetter: true,
        target: { name: 'glasswork', value: 1.05 },
      });
      const throughput = ratioSummary(inFlight, RAW, {
        title: 'Redis hit, 100 in flight',
        unit: 'calls/s (median of batches)',
        digits: 0,
        lowerIsBetter: false,
        target: { name: 'glasswork', value: 0.9 },
      });
      return {
        method: [
          `A private \`redis-server\` on loopback holds one ${JSON.stringify(VALUE).length}-byte JSON value per library, each written by that library. Every call reads and parses it.`,
          `Batches alternate baseline, A, baseline, B, baseline, C, … with the contestants' order rotating each round. A sequential batch is ${latencyCalls} awaited calls, each timed; its figure is the median call latency. An in-flight batch is ${total} calls with 100 running at any time; its figure is the median rate over ten consecutive windows of ${total / 10} completions. A contestant's ratio in a round is its figure ÷ the mean of the two baseline batches on either side of it; the tables give the median of those ratios over the rounds, their interquartile range, and the median absolute figures.`,
          'glasswork: `new CacheService(new RedisCacheStore({ url }), { defaultTTL, keyPrefix })`; bentocache: `bentostore().useL2Layer(redisDriver({ connection }))`, no memory layer; cache-manager: `createCache({ stores: [createKeyv(url)] })`. The baseline and bentocache use ioredis 5; cache-manager uses node-redis (through @keyv/redis).',
        ].join('\n\n'),
        tables: [latency.table, throughput.table],
        notes: [
          "cache-manager's client, node-redis, writes the commands issued in one tick of the event loop in one socket write (its automatic pipelining); ioredis, used by the baseline, glasswork and bentocache, writes each command on its own (its `enableAutoPipelining` is off by default). That is why cache-manager can pass the baseline with 100 calls in flight.",
        ],
        checks: [...latency.checks, ...throughput.checks],
        panels: [latency.panel, throughput.panel],
      };
    } finally {
      raw.disconnect();
      await Promise.all(contenders.map((contender) => contender.close()));
    }
  },
};
