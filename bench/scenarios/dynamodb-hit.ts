/**
 * DynamoDB hit path on dynalite: a raw `GetItemCommand` + expiry check + `JSON.parse` (the
 * baseline) against glasswork's `CacheService.get` on `DynamoDBCacheStore` and bentocache's
 * DynamoDB driver (L2 only).
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { realisticRecords } from '../../test/helpers/realistic-json.js';
import { openContender } from '../contenders/index.js';
import { type Contestant, interleave, sequentialBatch } from '../harness/interleave.js';
import { ratioSummary } from '../harness/ratio-table.js';
import type { ChartPanel, Check, Table } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';

const RAW = 'raw GetItem + JSON.parse';
const VALUES = [
  { label: '400 B JSON', bytes: 400, target: true },
  { label: '10 KB JSON', bytes: 10_000, target: false },
] as const;

export const dynamodbHit: Scenario = {
  id: 'dynamodb-hit',
  title: 'DynamoDB (dynalite) hit',
  async run(ctx) {
    const dynalite = await ctx.dynalite();
    const { endpoint } = dynalite;
    const gwTable = await dynalite.glassworkTable();
    const bentoTable = await dynalite.bentocacheTable();
    const raw = new DynamoDBClient({ endpoint, region: 'eu-central-1' });
    const glasswork = openContender(
      'glasswork',
      { kind: 'dynamodb', endpoint, tableName: gwTable },
      'gw',
    );
    const bentocache = openContender(
      'bentocache',
      { kind: 'dynamodb', endpoint, tableName: bentoTable },
      'bento',
    );
    const rounds = ctx.pick(20, 4);
    const calls = ctx.pick(200, 60);
    const tables: Table[] = [];
    const checks: Check[] = [];
    const panels: ChartPanel[] = [];
    try {
      for (const value of VALUES) {
        const records = realisticRecords(value.bytes);
        const key = `v${value.bytes}`;
        await glasswork.set(key, records, 3600);
        await bentocache.set(key, records, 3600);
        await raw.send(
          new PutItemCommand({
            TableName: gwTable,
            Item: {
              pk: { S: `raw:${key}` },
              expiresAt: { N: String(Math.ceil(Date.now() / 1000) + 3600) },
              expiresAtMs: { N: String(Date.now() + 3_600_000) },
              value: { S: JSON.stringify(records) },
            },
          }),
        );
        const baseline: Contestant = {
          name: RAW,
          async call() {
            const { Item } = await raw.send(
              new GetItemCommand({
                TableName: gwTable,
                Key: { pk: { S: `raw:${key}` } },
                ConsistentRead: true,
              }),
            );
            if (Item === undefined || Number(Item.expiresAtMs?.N) <= Date.now()) return undefined;
            return JSON.parse(Item.value!.S!);
          },
        };
        const others = [glasswork, bentocache].map((c) => ({
          name: c.library,
          call: () => c.get(key),
        }));
        for (const { name, call } of [baseline, ...others]) {
          if (JSON.stringify(await call()) !== JSON.stringify(records))
            throw new Error(`${name} misread`);
        }
        ctx.log(`${value.label}: ${rounds} rounds of ${calls} calls per batch`);
        const result = await interleave(baseline, others, sequentialBatch(calls), {
          rounds,
          budgetMs: 40_000,
        });
        const summary = ratioSummary(result, RAW, {
          title: `DynamoDB hit, ${value.label}`,
          unit: 'µs per call (median of batches)',
          digits: 0,
          lowerIsBetter: true,
          ...(value.target ? { target: { name: 'glasswork', value: 1.05 } } : {}),
        });
        tables.push(summary.table);
        checks.push(...summary.checks);
        panels.push(summary.panel);
      }
    } finally {
      raw.destroy();
      await Promise.all([glasswork.close(), bentocache.close()]);
    }
    return {
      method: [
        'dynalite (in memory) runs in a child process on loopback. Each library reads a value it wrote itself: realistic order-listing JSON (`test/helpers/realistic-json.ts`) of about 400 B and 10 KB. glasswork stores the 10 KB value brotli-compressed (its default above 1 KB); the baseline and bentocache store JSON text.',
        `The baseline is \`GetItemCommand\` (\`ConsistentRead: true\`, glasswork's default) + expiry check + \`JSON.parse\` on its own \`DynamoDBClient\`. glasswork: \`CacheService\` on \`DynamoDBCacheStore({ tableName, endpoint, region })\`; bentocache: \`bentostore().useL2Layer(dynamoDbDriver({ table, endpoint, region }))\` (eventually consistent reads, its only mode). Every library makes its own client with default settings.`,
        `Batches of ${calls} sequential calls alternate with baseline batches as in the Redis scenario; the figure per batch is the median call latency.`,
      ].join('\n\n'),
      tables,
      checks,
      panels,
    };
  },
};
