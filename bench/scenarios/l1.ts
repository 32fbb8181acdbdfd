/**
 * The two-tier cache (`l1`): the hit latency of the in-process tier against a Redis hit in
 * the same run and bentocache's L1 (an extra scenario), and across processes (l1-coherence)
 * how soon a write is seen elsewhere and whether any read outlives `maxAgeMs` while the
 * bus loses messages.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { CacheService, RedisCacheStore, RedisInvalidationBus, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import {
  type L1Process,
  percentile,
  staleReads,
  startL1Process,
} from '../../test/helpers/workers.js';
import { type Contestant, interleave, loopBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { Check } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';

const VALUE = {
  id: 123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'editor'],
  preferences: { theme: 'dark', language: 'en', notifications: { email: true, sms: false } },
};
const RAW = 'raw ioredis GET + JSON.parse';
const L1 = 'glasswork L1 hit';

export const l1Hit: Scenario = {
  id: 'l1-hit',
  title: 'Two tiers: L1 hit against a Redis hit and bentocache L1',
  extra: true,
  async run(ctx) {
    const { url } = await ctx.redis();
    const { hostname, port } = new URL(url);
    const raw = new Redis(url);
    const redisStore = new RedisCacheStore({ url });
    const bus = new RedisInvalidationBus({ url });
    const tiered = new CacheService(redisStore, {
      defaultTTL: 3600,
      keyPrefix: 'l1-tiered',
      logger: silentLogger,
      l1: { maxEntries: 10_000, maxAgeMs: 60_000, bus },
    });
    const plain = new CacheService(redisStore, {
      defaultTTL: 3600,
      keyPrefix: 'l1-plain',
      logger: silentLogger,
    });
    // bentocache serializes in its memory layer by default: each read is a copy, as ours.
    const bento = new BentoCache({
      default: 'cache',
      prefix: 'l1-bento',
      stores: {
        cache: bentostore()
          .useL1Layer(memoryDriver({ maxItems: 10_000 }))
          .useL2Layer(redisDriver({ connection: { host: hostname, port: Number(port) } })),
      },
    });
    try {
      await raw.set('l1-raw:user', JSON.stringify(VALUE));
      await tiered.set('user', VALUE);
      await plain.set('user', VALUE);
      await bento.set({ key: 'user', value: VALUE, ttl: 3_600_000 });
      const baseline: Contestant = {
        name: RAW,
        call: async () => JSON.parse((await raw.get('l1-raw:user'))!),
      };
      const contestants: Contestant[] = [
        { name: L1, call: () => tiered.get('user') },
        { name: 'glasswork store hit (Redis)', call: () => plain.get('user') },
        { name: 'bentocache L1 hit', call: () => bento.get({ key: 'user' }) },
      ];
      for (const { name, call } of [baseline, ...contestants]) {
        if (JSON.stringify(await call()) !== JSON.stringify(VALUE))
          throw new Error(`${name} misread`);
      }
      const rounds = ctx.pick(15, 5);
      const calls = ctx.pick(5000, 2000);
      ctx.log(`${rounds} rounds of ${calls} calls per batch`);
      const result = await interleave(baseline, contestants, loopBatch(calls), {
        rounds,
        budgetMs: 60_000,
      });
      const summary = ratioSummary(result, RAW, {
        title: 'L1 hit, sequential',
        unit: 'ns per call (mean of a batch, median of batches)',
        digits: 0,
        lowerIsBetter: true,
        target: { name: L1, value: 0.05 },
      });
      const stats = tiered.stats();
      if (stats.l1Hits < rounds * calls) throw new Error('the L1 contestant read the store');
      return {
        method: `One ${JSON.stringify(VALUE).length}-byte JSON value, read again and again; batches of ${calls} awaited calls (mean ns per call), alternating with baseline batches of raw ioredis \`GET\` + \`JSON.parse\` on a private \`redis-server\` on loopback. glasswork L1: \`CacheService\` on \`RedisCacheStore\` with \`l1: { maxEntries: 10_000, maxAgeMs: 60_000, bus: new RedisInvalidationBus({ url }) }\` (each read deserializes the kept payload: callers get their own copy); glasswork store hit: the same store without \`l1\`; bentocache: \`bentostore().useL1Layer(memoryDriver()).useL2Layer(redisDriver())\` (its memory layer serializes by default, so reads are copies too).`,
        tables: [summary.table],
        checks: summary.checks,
        panels: [summary.panel],
      };
    } finally {
      raw.disconnect();
      await tiered.onModuleDestroy();
      await redisStore.close();
      await bento.disconnect();
    }
  },
};

/** Propagation: process A's `set` resolved → process B's next `get` returns it. */
async function propagation(url: string, updates: number): Promise<number[]> {
  const keyPrefix = `l1-prop-${process.pid}`;
  const [a, b] = (await Promise.all([
    startL1Process({ url, keyPrefix, maxAgeMs: 60_000 }),
    startL1Process({ url, keyPrefix, maxAgeMs: 60_000 }),
  ])) as [L1Process, L1Process];
  try {
    const delays: number[] = [];
    for (let i = 0; i < updates; i++) {
      await b.send({ op: 'get', key: 'k' }); // B holds the previous value in its L1
      const seen = b.send<{ at: number | null }>({
        op: 'await',
        key: 'k',
        value: { i },
        timeoutMs: 5000,
      });
      const { at } = await a.send<{ at: number }>({ op: 'set', key: 'k', value: { i } });
      const { at: seenAt } = await seen;
      delays.push(seenAt === null ? Number.POSITIVE_INFINITY : Math.max(0, seenAt - at));
    }
    return delays;
  } finally {
    await Promise.all([a, b].map((p) => p.send({ op: 'exit' }).catch(() => p.kill())));
  }
}

/** Reads older than `maxAgeMs` while every pub/sub connection is killed every 50–200 ms. */
async function staleness(url: string, maxAgeMs: number, durationMs: number) {
  const keyPrefix = `l1-stale-${process.pid}`;
  const admin = new Redis(url);
  const [writer, reader] = (await Promise.all([
    startL1Process({ url, keyPrefix, maxAgeMs }),
    startL1Process({ url, keyPrefix, maxAgeMs }),
  ])) as [L1Process, L1Process];
  try {
    await writer.send({ op: 'set', key: 'k', value: { seq: 0 } });
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      while (killing) {
        await admin.client('KILL', 'TYPE', 'pubsub');
        kills++;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      }
    })();
    const [{ writes }, { reads, stats }] = await Promise.all([
      writer.send<{ writes: [number, number][] }>({ op: 'writeLoop', key: 'k', durationMs }),
      reader.send<{ reads: [number, number][]; stats: { l1Hits: number } }>({
        op: 'readLoop',
        key: 'k',
        durationMs,
      }),
    ]);
    killing = false;
    await killer;
    return {
      reads: reads.length,
      writes: writes.length,
      kills,
      l1Hits: stats.l1Hits,
      violations: staleReads(writes, reads, maxAgeMs),
    };
  } finally {
    admin.disconnect();
    await Promise.all([writer, reader].map((p) => p.send({ op: 'exit' }).catch(() => p.kill())));
  }
}

export const l1Coherence: Scenario = {
  id: 'l1-coherence',
  title: 'Two tiers: propagation across processes and the staleness bound',
  extra: true,
  async run(ctx) {
    const { url } = await ctx.redis();
    const updates = ctx.pick(500, 200);
    ctx.log(`propagation: ${updates} updates from process A, read by process B`);
    const delays = await propagation(url, updates);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    const maxAgeMs = 250;
    const durationMs = ctx.pick(10_000, 4000);
    ctx.log(`staleness: ${durationMs} ms of writes and reads, pub/sub connections killed`);
    const stale = await staleness(url, maxAgeMs, durationMs);
    const checks: Check[] = [
      {
        name: 'Propagation p99 (A set resolved → B get returns it)',
        measured: `${p99.toFixed(2)} ms`,
        target: '≤ 20 ms',
        pass: p99 <= 20,
      },
      {
        name: `Reads older than maxAgeMs (${maxAgeMs} ms) with the bus connections killed`,
        measured: String(stale.violations),
        target: '0',
        pass: stale.violations === 0,
      },
    ];
    return {
      method: `Two child processes (test/fixtures/l1-worker.ts), each a \`CacheService\` with \`l1\` and a \`RedisInvalidationBus\` on a private \`redis-server\`. Propagation: B reads the key (so its L1 holds the old value) and polls \`get\` once per event-loop turn; A \`set\`s a new value; the delay is B's first read of it minus the moment A's \`set\` resolved (sub-millisecond clocks of one machine), over ${updates} updates with \`maxAgeMs\` 60 s, so only the bus can make B see it. Staleness: A writes \`{ seq }\` every ~2 ms while B reads as fast as it can, for ${durationMs} ms, and \`CLIENT KILL TYPE pubsub\` drops every subscriber connection every 50–200 ms; a violation is a read returning a seq older than the latest write that had resolved ${maxAgeMs} ms (\`maxAgeMs\`) before it.`,
      tables: [
        {
          caption: 'Propagation and staleness',
          columns: ['Measure', 'Value'],
          rows: [
            ['Propagation p50', `${p50.toFixed(2)} ms`],
            ['Propagation p99', `${p99.toFixed(2)} ms`],
            ['Propagation max', `${Math.max(...delays).toFixed(2)} ms`],
            ['Reads (of which L1 hits)', `${stale.reads} (${stale.l1Hits})`],
            ['Writes', String(stale.writes)],
            ['Subscriber kills', String(stale.kills)],
            ['Reads older than maxAgeMs', String(stale.violations)],
          ],
        },
      ],
      checks,
    };
  },
};
