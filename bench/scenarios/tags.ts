/**
 * Tags. `tags-hit`: a hit through `wrap` with 1 and 3 tags against the same hit untagged
 * (the baseline), on Redis and on DynamoDB (dynalite), with bentocache's tagged `get` beside
 * them. `tags-invalidate`: invalidating a tag carried by many entries, in store writes and
 * time, against `delByPattern` of the same entries.
 */
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BentoCache, bentostore } from 'bentocache';
import { dynamoDbDriver } from 'bentocache/drivers/dynamodb';
import { redisDriver } from 'bentocache/drivers/redis';
import {
  CacheService,
  type CacheStore,
  DynamoDBCacheStore,
  RedisCacheStore,
  silentLogger,
} from 'glasswork';
import { Redis } from 'ioredis';
import { READ_BOUNDED } from '../../src/stores/redis/batch.js';
import { realisticRecords } from '../../test/helpers/realistic-json.js';
import { type Contestant, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { ChartPanel, Check, Table } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { fmt, median, percentile, times } from '../harness/stats.js';

const UNTAGGED = 'glasswork wrap hit, untagged';
const TAG_TARGET = 1.15;

type Backend =
  | { kind: 'redis'; url: string }
  | { kind: 'dynamodb'; endpoint: string; table: string };

function glassworkStore(backend: Backend): CacheStore {
  return backend.kind === 'redis'
    ? new RedisCacheStore({ url: backend.url })
    : new DynamoDBCacheStore({
        tableName: backend.table,
        endpoint: backend.endpoint,
        region: 'eu-central-1',
      });
}

function bento(
  backend: Backend,
  prefix: string,
): BentoCache<{ cache: ReturnType<typeof bentostore> }> {
  const driver =
    backend.kind === 'redis'
      ? redisDriver({
          connection: {
            host: new URL(backend.url).hostname,
            port: Number(new URL(backend.url).port),
          },
        })
      : dynamoDbDriver({
          table: { name: backend.table },
          endpoint: backend.endpoint,
          region: 'eu-central-1',
        });
  return new BentoCache({
    default: 'cache',
    prefix,
    stores: { cache: bentostore().useL2Layer(driver) },
  });
}

export const tagsHit: Scenario = {
  id: 'tags-hit',
  title: 'Tagged hit (1 and 3 tags) ÷ untagged hit, Redis and DynamoDB',
  async run(ctx) {
    const { url } = await ctx.redis();
    const dynalite = await ctx.dynalite();
    const backends: [string, Backend][] = [
      ['Redis', { kind: 'redis', url }],
      [
        'DynamoDB (dynalite)',
        { kind: 'dynamodb', endpoint: dynalite.endpoint, table: await dynalite.glassworkTable() },
      ],
    ];
    const bentoTable = await dynalite.bentocacheTable();
    const rounds = ctx.pick(16, 4);
    const calls = ctx.pick(200, 60);
    const tables: Table[] = [];
    const checks: Check[] = [];
    const panels: ChartPanel[] = [];
    const floors: string[][] = [];
    const records = realisticRecords(400);
    const failing = (name: string) => () =>
      Promise.reject(new Error(`${name}: a hit was expected`));
    for (const [label, backend] of backends) {
      const store = glassworkStore(backend);
      const cache = new CacheService(store, {
        defaultTTL: 3600,
        keyPrefix: 'tags-hit',
        logger: silentLogger,
      });
      const closers: (() => void)[] = [];
      const bentoCache = bento(
        backend.kind === 'redis' ? backend : { ...backend, table: bentoTable },
        'bento-tags-hit',
      );
      try {
        const one = ['product:42'];
        const three = ['product:42', 'catalog', 'tenant:7'];
        await cache.set('untagged', records, 3600);
        await cache.set('one', records, { ttl: 3600, tags: one });
        await cache.set('three', records, { ttl: 3600, tags: three });
        await bentoCache.set({ key: 'three', value: records, ttl: 3_600_000, tags: three });
        const baseline: Contestant = {
          name: UNTAGGED,
          call: () => cache.wrap('untagged', 3600, failing('untagged')),
        };
        const others: Contestant[] = [
          {
            name: 'glasswork wrap hit, 1 tag',
            call: () => cache.wrap('one', 3600, failing('one'), { tags: one }),
          },
          {
            name: 'glasswork wrap hit, 3 tags',
            call: () => cache.wrap('three', 3600, failing('three'), { tags: three }),
          },
          {
            name: 'glasswork get, 3 tags (tags not given: +1 round trip)',
            call: () => cache.get('three'),
          },
          { name: 'bentocache get, 3 tags', call: () => bentoCache.get({ key: 'three' }) },
          ...rawReads(backend, closers, [
            'tags-hit:three',
            ...three.map((tag) => `tags-hit#glasswork:tag:${tag}`),
          ]),
        ];
        for (const { name, call } of [
          baseline,
          ...others.filter((o) => !o.name.startsWith('raw')),
        ]) {
          if (JSON.stringify(await call()) !== JSON.stringify(records))
            throw new Error(`${name} misread`);
        }
        ctx.log(`${label}: ${rounds} rounds of ${calls} calls per batch`);
        const result = await interleave(baseline, others, sequentialBatch(calls), {
          rounds,
          budgetMs: 40_000,
        });
        const summary = ratioSummary(result, UNTAGGED, {
          title: `Tagged hit, ${label}`,
          unit: 'µs per call (median of batches)',
          digits: 0,
          lowerIsBetter: true,
          target: { name: 'glasswork wrap hit, 3 tags', value: TAG_TARGET },
        });
        const single = median(result.ratios[RAW_SINGLE]!);
        const batch = median(result.ratios[RAW_BATCH]!);
        floors.push([label, times(batch / single, 3)]);
        const oneTag = result.ratios['glasswork wrap hit, 1 tag']!;
        checks.push({
          name: `Tagged hit, ${label}: glasswork wrap hit, 1 tag ÷ ${UNTAGGED}`,
          measured: `${times(median(oneTag), 3)} (IQR ${times(percentile(oneTag, 25))}–${times(percentile(oneTag, 75))})`,
          target: `≤ ${TAG_TARGET.toFixed(2)}×`,
          pass: median(oneTag) <= TAG_TARGET,
        });
        tables.push(summary.table);
        checks.push(...summary.checks);
        panels.push(summary.panel);
      } finally {
        await cache.drain(5000);
        await store.close?.();
        await bentoCache.disconnect();
        for (const close of closers) close();
      }
    }
    tables.push({
      caption: 'The raw client alone: its read of the entry and 3 versions ÷ its read of the entry',
      columns: ['store', 'raw batch read (4 keys) ÷ raw single read'],
      rows: floors,
    });
    return {
      method: [
        'Each library reads a ~400 B realistic JSON value it wrote itself. The baseline is a glasswork `wrap` hit on an untagged entry; the tagged rows are `wrap` hits on entries written with 1 and 3 tags, the tags given to `wrap` (so their versions are read in the same round trip as the entry: one `getMany`). `get` without the tags needs a second round trip for the versions. bentocache is `set({ tags })` then `get`, L2 only.',
        'The raw rows read the same keys as glasswork with the raw client: Redis `GETRANGE` of the entry vs the bounded batch read glasswork sends for an entry and 3 versions (`EVALSHA` of its script: `STRLEN` each, then `MGET`); DynamoDB `GetItem` vs `BatchGetItem` of the 4 items (both consistent). Their ratio is the floor a tagged read has on that client.',
        `Batches of ${calls} sequential calls alternate with baseline batches; the figure per batch is the median call latency; ratios are per round, medians over the rounds, with the interquartile range.`,
      ].join('\n\n'),
      tables,
      checks,
      panels,
    };
  },
};

const RAW_SINGLE = 'raw client: the entry alone (GETRANGE / GetItem)';
const RAW_BATCH = 'raw client: the entry and 3 versions in one batch (script / BatchGetItem)';

/** The raw client reading `keys[0]` alone, and `keys` in one batch read, as glasswork does. */
function rawReads(backend: Backend, closers: (() => void)[], keys: string[]): Contestant[] {
  if (backend.kind === 'redis') {
    const raw = new Redis(backend.url);
    closers.push(() => raw.disconnect());
    const limit = String(16 * 1024 * 1024);
    return [
      { name: RAW_SINGLE, call: () => raw.getrangeBuffer(keys[0]!, 0, Number(limit)) },
      {
        name: RAW_BATCH,
        call: () =>
          raw.callBuffer('EVAL', [READ_BOUNDED, keys.length, ...keys, limit]) as Promise<unknown>,
      },
    ];
  }
  const raw = new DynamoDBClient({ endpoint: backend.endpoint, region: 'eu-central-1' });
  closers.push(() => raw.destroy());
  const key = (pk: string) => ({ pk: { S: pk } });
  return [
    {
      name: RAW_SINGLE,
      call: () =>
        raw.send(
          new GetItemCommand({
            TableName: backend.table,
            Key: key(keys[0]!),
            ConsistentRead: true,
          }),
        ),
    },
    {
      name: RAW_BATCH,
      call: () =>
        raw.send(
          new BatchGetItemCommand({
            RequestItems: { [backend.table]: { Keys: keys.map(key), ConsistentRead: true } },
          }),
        ),
    },
  ];
}

/** A store that counts the entries written through it. */
function counted(inner: CacheStore): { store: CacheStore; writes: () => number } {
  let writes = 0;
  const store: CacheStore = {
    name: inner.name,
    get: (key) => inner.get(key),
    set: (key, payload, ttlMs) => {
      writes++;
      return inner.set(key, payload, ttlMs);
    },
    del: (key) => inner.del(key),
    getMany: (keys) => inner.getMany!(keys),
    setMany: (entries) => {
      writes += entries.length;
      return inner.setMany!(entries);
    },
    setIfAbsent: (key, payload, ttlMs) => {
      writes++;
      return inner.setIfAbsent!(key, payload, ttlMs);
    },
    delByPattern: (pattern) => inner.delByPattern!(pattern),
    getHead: (key, length) => inner.getHead!(key, length),
  };
  return { store, writes: () => writes };
}

export const tagsInvalidate: Scenario = {
  id: 'tags-invalidate',
  title: 'Invalidate a tag carried by many entries: writes and time, vs delByPattern',
  async run(ctx) {
    const { url } = await ctx.redis();
    const dynalite = await ctx.dynalite();
    const entries = {
      Redis: ctx.pick(100_000, 20_000),
      'DynamoDB (dynalite)': ctx.pick(100_000, 5_000),
    };
    const backends: [keyof typeof entries, Backend, number][] = [
      ['Redis', { kind: 'redis', url }, 10],
      [
        'DynamoDB (dynalite)',
        { kind: 'dynamodb', endpoint: dynalite.endpoint, table: await dynalite.glassworkTable() },
        50,
      ],
    ];
    const rows: string[][] = [];
    const checks: Check[] = [];
    for (const [label, backend, targetMs] of backends) {
      const inner = glassworkStore(backend);
      const { store, writes } = counted(inner);
      const prefix = `inv${Date.now().toString(36)}`;
      const cache = new CacheService(store, {
        defaultTTL: 3600,
        keyPrefix: prefix,
        logger: silentLogger,
      });
      try {
        const count = entries[label];
        ctx.log(`${label}: writing ${count.toLocaleString('en-US')} entries tagged "bulk"`);
        for (let i = 0; i < count; i += 1000) {
          const batch = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
            key: `bulk:${i + j}`,
            value: { i: i + j },
            tags: ['bulk'],
          }));
          await cache.setMany(batch);
        }
        if ((await cache.getMany([`bulk:${count - 1}`]))[0] === undefined) {
          throw new Error('the entries were not written');
        }
        const sample = ['bulk:0', `bulk:${count - 1}`];
        const times_: number[] = [];
        const writeCounts: number[] = [];
        for (let round = 0; round < ctx.pick(9, 3); round++) {
          const before = writes();
          const begin = performance.now();
          if (!(await cache.invalidateTags(['bulk']))) throw new Error('invalidateTags failed');
          times_.push(performance.now() - begin);
          writeCounts.push(writes() - before);
        }
        if ((await cache.getMany(sample)).some((value) => value !== undefined))
          throw new Error('an invalidated entry was served');
        const begin = performance.now();
        const removed = await cache.delByPattern('bulk:*');
        const patternMs = performance.now() - begin;
        const ms = median(times_);
        rows.push([
          `${label}, ${count.toLocaleString('en-US')} entries`,
          `${fmt(ms, 2)} ms (max ${fmt(Math.max(...times_), 2)})`,
          String(Math.max(...writeCounts)),
          `${fmt(patternMs, 0)} ms (${removed} removed)`,
          times(patternMs / ms, 0),
        ]);
        checks.push({
          name: `invalidateTags of a tag on ${count.toLocaleString('en-US')} entries, ${label}: time (median of rounds)`,
          measured: `${fmt(ms, 2)} ms`,
          target: `≤ ${targetMs} ms`,
          pass: ms <= targetMs,
        });
        checks.push({
          name: `invalidateTags of a tag on ${count.toLocaleString('en-US')} entries, ${label}: store writes`,
          measured: String(Math.max(...writeCounts)),
          target: '≤ 2',
          pass: Math.max(...writeCounts) <= 2,
        });
      } finally {
        await inner.close?.();
      }
    }
    return {
      method:
        'Entries are written with `set(key, value, { tags: ["bulk"] })` under a fresh prefix; then `invalidateTags(["bulk"])` is timed over several rounds (store writes counted by a wrapper around the store), a read checks that the entries are gone, and `delByPattern("bulk:*")` of the same entries is timed once (DynamoDB: a Scan of the table).',
      tables: [
        {
          caption: 'Invalidating a tag vs deleting its entries by pattern',
          columns: [
            'store',
            'invalidateTags (median)',
            'store writes',
            'delByPattern of the same entries',
            'delByPattern ÷ invalidateTags',
          ],
          rows,
        },
      ],
      checks,
    };
  },
};
