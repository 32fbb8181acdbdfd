/**
 * Redis hit path: raw ioredis `GET` + `JSON.parse` (the baseline), raw ioredis with
 * auto-pipelining and raw node-redis against glasswork's `CacheService.get` on
 * `RedisCacheStore` (ioredis, ioredis with auto-pipelining, node-redis), bentocache (Redis
 * driver, L2 only) and cache-manager (Keyv + @keyv/redis), sequentially and with 100 calls
 * in flight. Targets are held against the best raw client of each run.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { type Backend, type Contender, LIBRARIES, openContender } from '../contenders/index.js';
import { bestRawSummary } from '../harness/best-raw.js';
import type { Contestant } from '../harness/interleave.js';
import { inFlightBatch, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { Scenario } from '../harness/scenario.js';
import { median } from '../harness/stats.js';

const VALUE = {
  id: 123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'editor'],
  createdAt: '2024-01-01T00:00:00.000Z',
  preferences: { theme: 'dark', language: 'en', notifications: { email: true, sms: false } },
};
const RAW = 'raw ioredis GET + JSON.parse';
const RAW_PIPELINED = 'raw ioredis, enableAutoPipelining';
const RAW_NODE_REDIS = 'raw node-redis GET + JSON.parse';
const RAWS = [RAW_PIPELINED, RAW_NODE_REDIS];
const GLASSWORK_NODE_REDIS = 'glasswork (node-redis)';
const GLASSWORK_PIPELINED = 'glasswork (ioredis, enableAutoPipelining)';

/** glasswork's variants beside its default (ioredis): the name and the backend of each. */
function glassworkVariants(url: string): Array<[string, Backend]> {
  return [
    [GLASSWORK_NODE_REDIS, { kind: 'redis', url, driver: 'node-redis' }],
    [GLASSWORK_PIPELINED, { kind: 'redis', url, ioredis: { enableAutoPipelining: true } }],
  ];
}

export const redisHit: Scenario = {
  id: 'redis-hit',
  title: 'Redis hit: sequential latency and 100 in flight',
  async run(ctx) {
    const { url } = await ctx.redis();
    const raw = new Redis(url);
    const pipelined = new Redis(url, { enableAutoPipelining: true });
    const nodeRedis = createClient({ url });
    await nodeRedis.connect();
    const named: Array<[string, Contender]> = [
      ...LIBRARIES.map((library): [string, Contender] => [
        library,
        openContender(library, { kind: 'redis', url }, `hit-${library}`),
      ]),
      ...glassworkVariants(url).map(([name, backend], i): [string, Contender] => [
        name,
        openContender('glasswork', backend, `hit-glasswork-${i}`),
      ]),
    ];
    const contenders = named.map(([, contender]) => contender);
    try {
      await raw.set('hit-raw:user', JSON.stringify(VALUE));
      const contestants: Contestant[] = [
        {
          name: RAW_PIPELINED,
          call: async () => JSON.parse((await pipelined.get('hit-raw:user'))!),
        },
        {
          name: RAW_NODE_REDIS,
          call: async () => JSON.parse((await nodeRedis.get('hit-raw:user'))!),
        },
      ];
      for (const [name, contender] of named) {
        await contender.set('user', VALUE, 3600);
        contestants.push({ name, call: () => contender.get('user') });
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
      });
      const throughput = ratioSummary(inFlight, RAW, {
        title: 'Redis hit, 100 in flight',
        unit: 'calls/s (median of batches)',
        digits: 0,
        lowerIsBetter: false,
      });
      const compared = ['glasswork', GLASSWORK_NODE_REDIS, GLASSWORK_PIPELINED, 'cache-manager'];
      const latencyBest = bestRawSummary(sequential, RAW, RAWS, {
        title: 'Redis hit, sequential',
        lowerIsBetter: true,
        compared,
        targets: [
          { name: 'glasswork', value: 1.05 },
          { name: GLASSWORK_NODE_REDIS, value: 1.05 },
        ],
      });
      const throughputBest = bestRawSummary(inFlight, RAW, RAWS, {
        title: 'Redis hit, 100 in flight',
        lowerIsBetter: false,
        compared,
        targets: [{ name: GLASSWORK_NODE_REDIS, value: 0.9 }],
      });
      const aheadOfPeer = median(
        inFlight.ratios[GLASSWORK_NODE_REDIS]!.map(
          (ratio, round) => ratio / inFlight.ratios['cache-manager']![round]!,
        ),
      );
      return {
        method: [
          `A private \`redis-server\` on loopback holds one ${JSON.stringify(VALUE).length}-byte JSON value per library, each written by that library. Every call reads and parses it.`,
          `Batches alternate baseline, A, baseline, B, baseline, C, … with the contestants' order rotating each round. A sequential batch is ${latencyCalls} awaited calls, each timed; its figure is the median call latency. An in-flight batch is ${total} calls with 100 running at any time; its figure is the median rate over ten consecutive windows of ${total / 10} completions. A contestant's ratio in a round is its figure ÷ the mean of the two baseline batches on either side of it; the tables give the median of those ratios over the rounds, their interquartile range, and the median absolute figures.`,
          "glasswork: `new CacheService(new RedisCacheStore({ url }), { defaultTTL, keyPrefix })` (ioredis), the same with `{ url, driver: 'node-redis' }` and with `{ url, enableAutoPipelining: true }`; bentocache: `bentostore().useL2Layer(redisDriver({ connection }))`, no memory layer; cache-manager: `createCache({ stores: [createKeyv(url)] })`. The baseline and bentocache use ioredis 5; the raw node-redis client and cache-manager (through @keyv/redis) use node-redis 5.",
          "The targets are held against the best raw client of each table (raw ioredis, raw ioredis with auto-pipelining, raw node-redis): per round, a variant's ratio ÷ that client's ratio, both measured against the same baseline batches.",
        ].join('\n\n'),
        tables: [latency.table, latencyBest.table, throughput.table, throughputBest.table],
        notes: [
          "node-redis (the raw node-redis client, glasswork with `driver: 'node-redis'`, cache-manager) writes the commands issued in one tick of the event loop in one socket write (its automatic pipelining); ioredis writes each command on its own unless `enableAutoPipelining` is on, which batches less and delays every sequential call. That is why the node-redis variants lead with 100 calls in flight and glasswork keeps auto-pipelining off by default on ioredis.",
        ],
        checks: [
          ...latencyBest.checks,
          ...throughputBest.checks,
          {
            name: `Redis hit, 100 in flight: ${GLASSWORK_NODE_REDIS} ÷ cache-manager`,
            measured: `${aheadOfPeer.toFixed(2)}×`,
            target: '> 1.00×',
            pass: aheadOfPeer > 1,
          },
        ],
        panels: [latency.panel, throughput.panel],
      };
    } finally {
      raw.disconnect();
      pipelined.disconnect();
      await nodeRedis.close();
      await Promise.all(contenders.map((contender) => contender.close()));
    }
  },
};
