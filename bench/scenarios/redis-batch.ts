/**
 * Redis batch reads: `getMany` of 100 keys against raw ioredis `MGET` + `JSON.parse` (the
 * baseline) and a raw pipeline of bounded `GETRANGE`s (what glasswork sends), cache-manager's
 * `mget` and bentocache's `get` per key in `Promise.all`; round trips per master on a
 * 3-master Cluster, counted by the servers; and `wrapMany`'s single loader call.
 */
import { CacheService, RedisCacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { READ_BOUNDED } from '../../src/stores/redis/batch.js';
import { RedisClusterServers } from '../../test/helpers/redis-server.js';
import { LIBRARIES, openContender } from '../contenders/index.js';
import { type Contestant, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import { type ChartPanel, type Check, type Table, verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';

const VALUE = {
  id: 123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'editor'],
  preferences: { theme: 'dark', language: 'en' },
};
const KEYS = 100;
const RAW = 'raw ioredis MGET + JSON.parse';
const PIPELINE = 'raw pipelined GETRANGE + JSON.parse';
const SCRIPTED = 'raw STRLEN-then-MGET script + JSON.parse';

/** Requests a server has read so far; the INFO asking counts one. */
async function readsProcessed(observer: Redis): Promise<number> {
  return Number(/total_reads_processed:(\d+)/.exec(await observer.info('stats'))?.[1]);
}

export const redisBatch: Scenario = {
  id: 'redis-batch',
  title: 'Redis batch reads: getMany of 100 keys, Cluster round trips, wrapMany',
  async run(ctx) {
    const { url } = await ctx.redis();
    const raw = new Redis(url);
    const contenders = LIBRARIES.map((library) =>
      openContender(library, { kind: 'redis', url }, `batch-${library}`),
    );
    const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
    const rawKeys = keys.map((key) => `batch-raw:${key}`);
    const tables: Table[] = [];
    const checks: Check[] = [];
    const panels: ChartPanel[] = [];
    try {
      await raw.mset(...rawKeys.flatMap((key, i) => [key, JSON.stringify({ ...VALUE, id: i })]));
      const contestants: Contestant[] = [];
      for (const contender of contenders) {
        await Promise.all(keys.map((key, i) => contender.set(key, { ...VALUE, id: i }, 3600)));
        contestants.push({ name: contender.library, call: () => contender.getMany(keys) });
      }
      const baseline: Contestant = {
        name: RAW,
        call: async () =>
          (await raw.mget(...rawKeys)).map((text) =>
            text === null ? undefined : JSON.parse(text),
          ),
      };
      contestants.push({
        name: PIPELINE,
        async call() {
          const pipeline = raw.pipeline();
          for (const key of rawKeys) pipeline.getrangeBuffer(key, '0', '16777216');
          const replies = (await pipeline.exec()) ?? [];
          return replies.map(([, stored]) => JSON.parse((stored as Buffer).toString('utf8')));
        },
      });
      const sha = (await raw.script('LOAD', READ_BOUNDED)) as string;
      contestants.push({
        name: SCRIPTED,
        async call() {
          const replies = (await raw.callBuffer('EVALSHA', [
            sha,
            KEYS,
            ...rawKeys,
            '16777216',
          ])) as Buffer[];
          return replies.map((stored) => JSON.parse(stored.toString('utf8')));
        },
      });
      const expected = JSON.stringify(keys.map((_, i) => ({ ...VALUE, id: i })));
      for (const { name, call } of [baseline, ...contestants]) {
        if (JSON.stringify(await call()) !== expected) throw new Error(`${name} misread`);
      }
      const rounds = ctx.pick(20, 5);
      const calls = ctx.pick(300, 100);
      ctx.log(`getMany(${KEYS}): ${rounds} rounds of ${calls} calls per batch`);
      const result = await interleave(baseline, contestants, sequentialBatch(calls), {
        rounds,
        budgetMs: 60_000,
      });
      const latency = ratioSummary(result, RAW, {
        title: `Redis getMany of ${KEYS} keys, sequential`,
        unit: 'µs per call (median of batches)',
        digits: 0,
        lowerIsBetter: true,
        target: { name: 'glasswork', value: 1.1 },
      });
      tables.push(latency.table);
      checks.push(...latency.checks);
      panels.push(latency.panel);

      // wrapMany: 100 keys, 30 of them missing, one loader call with exactly those 30.
      const cache = new CacheService(new RedisCacheStore({ url }), {
        defaultTTL: 600,
        keyPrefix: 'batch-wrap',
        logger: silentLogger,
      });
      try {
        await cache.setMany(keys.filter((_, i) => i % 10 >= 3).map((key) => ({ key, value: key })));
        const loads: string[][] = [];
        const values = await cache.wrapMany(keys, async (missing) => {
          loads.push(missing);
          return missing;
        });
        const missing = keys.filter((_, i) => i % 10 < 3);
        const pass =
          loads.length === 1 &&
          JSON.stringify(loads[0]) === JSON.stringify(missing) &&
          JSON.stringify(values) === JSON.stringify(keys);
        checks.push({
          name: `wrapMany of ${KEYS} keys with 30 missing: loader calls, keys given`,
          measured: `${loads.length} call, ${loads[0]?.length ?? 0} keys`,
          target: '1 call, the 30 missing keys',
          pass,
        });
      } finally {
        await cache.store.close?.();
      }

      tables.push(await clusterRoundTrips(ctx.log.bind(ctx), keys, checks));
    } finally {
      raw.disconnect();
      await Promise.all(contenders.map((contender) => contender.close()));
    }
    return {
      method: [
        `A private \`redis-server\` on loopback holds ${KEYS} JSON values of about ${JSON.stringify(VALUE).length} bytes per library, each written by that library. Every call reads all ${KEYS} and parses them.`,
        `The baseline is one raw ioredis \`MGET\` + \`JSON.parse\` per value. glasswork's \`getMany\` sends one pipeline of ${KEYS} \`GETRANGE key 0 maxValueBytes\` (a reply bounded per value, which \`MGET\` cannot give) and decodes its envelopes; the same pipeline sent raw, and the script glasswork sends on a single server (STRLEN of every key, then MGET) sent raw, are shown as references. cache-manager: \`mget\`; bentocache has no batch read: \`get\` per key in \`Promise.all\`. Batches of sequential calls alternate with baseline batches as in the Redis hit scenario.`,
        `Cluster: a private 3-master Cluster (\`redis-cli --cluster create\`); glasswork's \`getMany\`, \`setMany\` and \`delMany\` of ${KEYS} keys spread over every master, after one warm-up call (ioredis connects to each master on first use). Round trips are counted by each server: its \`total_reads_processed\` before and after the call, less the INFO that asks.`,
      ].join('\n\n'),
      tables,
      checks,
      panels,
    };
  },
};

/** glasswork's batch calls on a 3-master Cluster: requests each master read per call. */
async function clusterRoundTrips(
  log: (message: string) => void,
  keys: string[],
  checks: Check[],
): Promise<Table> {
  log('Cluster: starting 3 masters');
  const servers = await RedisClusterServers.start(3);
  const observers = servers.servers.map((server) => new Redis(server.url));
  const store = new RedisCacheStore({ cluster: servers.nodes });
  const cache = new CacheService(store, { defaultTTL: 600, logger: silentLogger });
  try {
    await cache.getMany(keys);
    const count = async (work: () => Promise<unknown>) => {
      const before = await Promise.all(observers.map(readsProcessed));
      await work();
      const after = await Promise.all(observers.map(readsProcessed));
      return after.map((reads, i) => reads - before[i]! - 1);
    };
    const rows: string[][] = [];
    const calls: [string, () => Promise<unknown>][] = [
      ['setMany', () => cache.setMany(keys.map((key) => ({ key, value: key })))],
      ['getMany', () => cache.getMany(keys)],
      ['delMany', () => cache.delMany(keys)],
    ];
    for (const [name, work] of calls) {
      const perMaster = await count(work);
      const total = perMaster.reduce((sum, one) => sum + one, 0);
      const pass = perMaster.every((one) => one === 1);
      rows.push([name, perMaster.join(' / '), String(total), '3', verdict(pass)]);
      checks.push({
        name: `Redis Cluster ${name} of ${keys.length} keys: round trips`,
        measured: `${total} (${perMaster.join(' / ')})`,
        target: '3 (one per master)',
        pass,
      });
    }
    return {
      caption: `Round trips of one call of ${keys.length} keys on a 3-master Cluster`,
      columns: ['call', 'requests per master', 'total', 'target', 'verdict'],
      rows,
    };
  } finally {
    for (const observer of observers) observer.disconnect();
    await store.close();
    await servers.stop();
  }
}
