/**
 * DynamoDB batch reads on dynalite: `getMany` of 100 keys against a raw `BatchGetItem` +
 * expiry check + `JSON.parse` (the baseline) and bentocache's `get` per key in
 * `Promise.all`; and the number of BatchGetItem calls `getMany` makes for 1 to 1,000 keys.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { openContender } from '../contenders/index.js';
import { type Contestant, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import { type Check, type Table, verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';

const RAW = 'raw BatchGetItem + JSON.parse';
const KEYS = 100;
const VALUE = { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin'] };

export const dynamodbBatch: Scenario = {
  id: 'dynamodb-batch',
  title: 'DynamoDB (dynalite) batch reads: getMany of 100 keys, BatchGetItem calls',
  async run(ctx) {
    const dynalite = await ctx.dynalite();
    const { endpoint } = dynalite;
    const gwTable = await dynalite.glassworkTable();
    const bentoTable = await dynalite.bentocacheTable();
    const raw = new DynamoDBClient({ endpoint, region: 'eu-central-1' });
    const glasswork = openContender(
      'glasswork',
      { kind: 'dynamodb', endpoint, tableName: gwTable },
      'gwb',
    );
    const bentocache = openContender(
      'bentocache',
      { kind: 'dynamodb', endpoint, tableName: bentoTable },
      'bentob',
    );
    const keys = Array.from({ length: KEYS }, (_, i) => `k${i}`);
    const rawKeys = keys.map((key) => `rawb:${key}`);
    const tables: Table[] = [];
    const checks: Check[] = [];
    try {
      for (const contender of [glasswork, bentocache]) {
        await Promise.all(keys.map((key, i) => contender.set(key, { ...VALUE, id: i }, 3600)));
      }
      const expiresAtMs = Date.now() + 3_600_000;
      for (let at = 0; at < KEYS; at += 25) {
        await raw.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [gwTable]: rawKeys.slice(at, at + 25).map((key, i) => ({
                PutRequest: {
                  Item: {
                    pk: { S: key },
                    expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
                    expiresAtMs: { N: String(expiresAtMs) },
                    value: { S: JSON.stringify({ ...VALUE, id: at + i }) },
                  },
                },
              })),
            },
          }),
        );
      }
      const baseline: Contestant = {
        name: RAW,
        async call() {
          const { Responses } = await raw.send(
            new BatchGetItemCommand({
              RequestItems: {
                [gwTable]: {
                  Keys: rawKeys.map((key) => ({ pk: { S: key } })),
                  ConsistentRead: true,
                },
              },
            }),
          );
          const byKey = new Map<string, unknown>();
          const now = Date.now();
          for (const item of Responses?.[gwTable] ?? []) {
            if (Number(item.expiresAtMs?.N) > now)
              byKey.set(item.pk!.S!, JSON.parse(item.value!.S!));
          }
          return rawKeys.map((key) => byKey.get(key));
        },
      };
      const others: Contestant[] = [glasswork, bentocache].map((contender) => ({
        name: contender.library,
        call: () => contender.getMany(keys),
      }));
      const expected = JSON.stringify(keys.map((_, i) => ({ ...VALUE, id: i })));
      for (const { name, call } of [baseline, ...others]) {
        if (JSON.stringify(await call()) !== expected) throw new Error(`${name} misread`);
      }
      const rounds = ctx.pick(15, 4);
      const calls = ctx.pick(60, 20);
      ctx.log(`getMany(${KEYS}): ${rounds} rounds of ${calls} calls per batch`);
      const result = await interleave(baseline, others, sequentialBatch(calls), {
        rounds,
        budgetMs: 60_000,
      });
      const latency = ratioSummary(result, RAW, {
        title: `DynamoDB getMany of ${KEYS} keys`,
        unit: 'µs per call (median of batches)',
        digits: 0,
        lowerIsBetter: true,
        target: { name: 'glasswork', value: 1.1 },
      });
      tables.push(latency.table, await callCounts(endpoint, gwTable, checks));
      checks.push(...latency.checks);
      return {
        method: [
          `dynalite (in memory) runs in a child process on loopback. ${KEYS} JSON values of about ${JSON.stringify(VALUE).length} bytes per library, each written by that library; every call reads all ${KEYS}.`,
          `The baseline is one \`BatchGetItemCommand\` (\`ConsistentRead: true\`, glasswork's default) + expiry check + \`JSON.parse\` per item on its own client. glasswork: \`CacheService.getMany\` on \`DynamoDBCacheStore\`; bentocache has no batch read: \`get\` per key in \`Promise.all\` (${KEYS} GetItem requests). Batches of sequential calls alternate with baseline batches as in the other scenarios.`,
          "BatchGetItem calls are counted by a middleware on the store's client.",
        ].join('\n\n'),
        tables,
        checks,
        panels: [latency.panel],
      };
    } finally {
      raw.destroy();
      await Promise.all([glasswork.close(), bentocache.close()]);
    }
  },
};

/** BatchGetItem calls one `getMany` makes for several key counts: ⌈n / 100⌉. */
async function callCounts(endpoint: string, tableName: string, checks: Check[]): Promise<Table> {
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1' });
  const counted: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      counted[context.commandName ?? '?'] = (counted[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize' },
  );
  const cache = new CacheService(new DynamoDBCacheStore({ tableName, client }), {
    defaultTTL: 600,
    keyPrefix: 'calls',
    logger: silentLogger,
  });
  const rows: string[][] = [];
  try {
    const all = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    for (let at = 0; at < all.length; at += 250) {
      await cache.setMany(all.slice(at, at + 250).map((key) => ({ key, value: key })));
    }
    for (const n of [1, 100, 101, 250, 1000]) {
      counted.BatchGetItemCommand = 0;
      const values = await cache.getMany(all.slice(0, n));
      const calls = counted.BatchGetItemCommand;
      const expected = Math.ceil(n / 100);
      const pass = calls === expected && values.every((value, i) => value === all[i]);
      rows.push([String(n), String(calls), String(expected), verdict(pass)]);
      checks.push({
        name: `DynamoDB getMany of ${n} keys: BatchGetItem calls`,
        measured: String(calls),
        target: `${expected} (⌈n/100⌉)`,
        pass,
      });
    }
  } finally {
    client.destroy();
  }
  return {
    caption: 'BatchGetItem calls per getMany',
    columns: ['keys', 'BatchGetItem calls', 'target ⌈n/100⌉', 'verdict'],
    rows,
  };
}
