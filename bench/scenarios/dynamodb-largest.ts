/**
 * The largest realistic JSON value that round-trips (`set`, then `get` returns an equal
 * value) through DynamoDB (dynalite, which enforces the 400 KB item limit): a raw `PutItem`
 * of the JSON text (the baseline), glasswork (brotli above 1 KB) and bentocache's driver.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { realisticJson, realisticRecords } from '../../test/helpers/realistic-json.js';
import { type Contender, openContender } from '../contenders/index.js';
import type { Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { mib, times } from '../harness/stats.js';

/** Stop when the bracket is this close (relative), or after this many probes. */
const PRECISION = 0.01;
const MAX_PROBES = 24;
const CEILING = 64 * 1024 * 1024;

interface Search {
  largest: number;
  firstFailure: number;
  error: string;
  probes: number;
}

/** Doubles from 64 KB until a probe fails, then bisects; `fits(bytes)` resolves or throws. */
async function largest(fits: (bytes: number) => Promise<void>): Promise<Search> {
  let low = 0;
  let high = 64 * 1024;
  let error = '';
  let probes = 0;
  const probe = async (bytes: number) => {
    probes++;
    try {
      await fits(bytes);
      return true;
    } catch (failure) {
      const cause = failure instanceof Error ? failure.cause : undefined;
      error = [failure, cause]
        .filter((e): e is Error => e instanceof Error)
        .map((e) => e.message)
        .join(': ');
      return false;
    }
  };
  while (high <= CEILING && (await probe(high))) {
    low = high;
    high *= 2;
  }
  let lastError = error;
  while (high - low > Math.max(1024, low * PRECISION) && probes < MAX_PROBES) {
    const middle = Math.round((low + high) / 2);
    if (await probe(middle)) low = middle;
    else {
      high = middle;
      lastError = error;
    }
  }
  return { largest: low, firstFailure: high, error: lastError.slice(0, 160), probes };
}

/** Sets then gets `bytes` of JSON through `contender`; throws unless it comes back equal. */
async function roundTrip(contender: Contender, bytes: number): Promise<void> {
  const records = realisticRecords(bytes);
  const key = `largest-${bytes}`;
  await contender.set(key, records, 3600);
  const back = await contender.get(key);
  if (JSON.stringify(back) !== JSON.stringify(records))
    throw new Error('read back missing or different');
}

export const dynamodbLargest: Scenario = {
  id: 'dynamodb-largest',
  title: 'Largest JSON value stored in DynamoDB',
  async run(ctx) {
    const dynalite = await ctx.dynalite();
    const { endpoint, client } = dynalite;
    const gwTable = await dynalite.glassworkTable();
    const glasswork = openContender(
      'glasswork',
      { kind: 'dynamodb', endpoint, tableName: gwTable },
      'gw',
    );
    const bentoTable = await dynalite.bentocacheTable();
    const bentocache = openContender(
      'bentocache',
      { kind: 'dynamodb', endpoint, tableName: bentoTable },
      'bento',
    );
    const results: Array<[string, Search]> = [];
    try {
      ctx.log('raw PutItem');
      results.push([
        'raw PutItem of the JSON text',
        await largest(async (bytes) => {
          const json = realisticJson(bytes);
          const pk = { S: `raw-${bytes}` };
          await client.send(
            new PutItemCommand({ TableName: gwTable, Item: { pk, value: { S: json } } }),
          );
          const { Item } = await client.send(
            new GetItemCommand({ TableName: gwTable, Key: { pk } }),
          );
          if (Item?.value?.S !== json) throw new Error('read back missing or different');
        }),
      ]);
      for (const contender of [glasswork, bentocache]) {
        ctx.log(contender.library);
        results.push([contender.library, await largest((bytes) => roundTrip(contender, bytes))]);
      }
    } finally {
      await Promise.all([glasswork.close(), bentocache.close()]);
    }
    const baseline = results[0]![1].largest;
    const gw = results.find(([name]) => name === 'glasswork')![1];
    const target = 3 * 1024 * 1024;
    const checks: Check[] = [
      {
        name: 'Largest JSON in DynamoDB: glasswork',
        measured: mib(gw.largest),
        target: '≥ 3 MB (a typical 1–3 MB value fits)',
        pass: gw.largest >= target,
      },
    ];
    return {
      method: [
        'Realistic order-listing JSON (`test/helpers/realistic-json.ts`, deterministic) of a given size is written and read back through each library on dynalite (which enforces the 400 KB item limit); a probe passes when the value read back is equal. Sizes double from 64 KB until a probe fails, then bisect to within 1% (sizes are JSON text bytes; MB = 2^20 bytes).',
        "glasswork: `DynamoDBCacheStore` defaults (brotli quality 5 above 1 KB, stored as binary). bentocache: `dynamoDbDriver` (JSON text in a string attribute). The baseline is a raw `PutItem` of the JSON text with glasswork's key attribute. cache-manager has no DynamoDB store.",
      ].join('\n\n'),
      tables: [
        {
          columns: [
            'variant',
            'largest that round-trips',
            '÷ baseline',
            'smallest failure',
            'failure',
            'probes',
            'target',
            'result',
          ],
          rows: results.map(([name, search]) => [
            name,
            mib(search.largest),
            times(search.largest / baseline, 1),
            mib(search.firstFailure),
            search.error,
            String(search.probes),
            name === 'glasswork' ? checks[0]!.target : '',
            name === 'glasswork' ? verdict(checks[0]!.pass) : '',
          ]),
        },
      ],
      checks,
      panels: [
        {
          title: 'Largest JSON value that round-trips through DynamoDB, MB (higher is better)',
          bars: results.map(([name, search]) => ({
            label: name,
            value: search.largest / 1024 / 1024,
            text: mib(search.largest),
            highlight: name === 'glasswork',
          })),
        },
      ],
    };
  },
};
