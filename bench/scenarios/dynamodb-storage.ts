/**
 * DynamoDB storage (an extra scenario): stored item bytes and capacity units for 10 KB,
 * 100 KB and 1 MB JSON values, compressed vs not; and brotli vs gzip on realistic JSON,
 * the measurement behind `DynamoDBCacheStore`'s codec.
 */
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
} from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheLimitError, CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { itemSize } from '../../src/stores/dynamodb/item.js';
import { realisticJson, realisticRecords } from '../../test/helpers/realistic-json.js';
import type { Context } from '../harness/context.js';
import type { Table } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { fmt, kib } from '../harness/stats.js';

const LIMIT_BYTES = 409_600;

async function capacity(ctx: Context): Promise<Table> {
  const dynalite = await ctx.dynalite();
  const { client } = dynalite;
  const tableName = await dynalite.glassworkTable();
  const rows: string[][] = [];
  for (const bytes of [10_000, 100_000, 1_000_000]) {
    const records = realisticRecords(bytes);
    for (const compressAboveBytes of [Number.POSITIVE_INFINITY, 1024]) {
      const store = new DynamoDBCacheStore({ tableName, client, compressAboveBytes });
      const cache = new CacheService(store, { defaultTTL: 3600, logger: silentLogger });
      const key = `cap:${bytes}:${compressAboveBytes}`;
      let size: number;
      let refused = false;
      try {
        await cache.set(key, records);
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } } }),
        );
        size = itemSize(Item!);
      } catch (error) {
        if (!(error instanceof CacheLimitError)) throw error;
        size = error.size ?? Number.NaN;
        refused = true;
      }
      const rcu = Math.ceil(size / 4096);
      rows.push([
        kib(JSON.stringify(records).length),
        `${compressAboveBytes === 1024 ? 'brotli (B)' : 'string (S)'}${refused ? ', refused: over 400 KB' : ''}`,
        fmt(size),
        String(Math.ceil(size / 1024)),
        String(rcu),
        String(rcu / 2),
      ]);
    }
  }
  return {
    caption:
      'Stored bytes and capacity units (1 WCU per 1 KB written, 1 RCU per 4 KB strongly consistent read)',
    columns: [
      'JSON value',
      'stored as',
      'item bytes',
      'WCU per write',
      'RCU per strong read',
      'RCU per eventual read',
    ],
    rows,
  };
}

function codecs(ctx: Context): Table {
  const time = (run: () => unknown, runs: number) => {
    const started = performance.now();
    for (let i = 0; i < runs; i++) run();
    return (performance.now() - started) / runs;
  };
  const rows: string[][] = [];
  for (const bytes of ctx.pick([10_000, 100_000, 1_000_000, 3_000_000], [100_000, 1_000_000])) {
    const input = Buffer.from(realisticJson(bytes));
    const runs = Math.max(2, Math.min(200, Math.round(20_000_000 / bytes)));
    const brotli = (quality: number) => ({
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
      },
    });
    const variants: Array<[string, () => Buffer, (packed: Buffer) => Buffer]> = [
      ['gzip-6', () => gzipSync(input, { level: 6 }), gunzipSync],
      ['gzip-9', () => gzipSync(input, { level: 9 }), gunzipSync],
      ['brotli-4', () => brotliCompressSync(input, brotli(4)), brotliDecompressSync],
      ['brotli-5 (used)', () => brotliCompressSync(input, brotli(5)), brotliDecompressSync],
      ['brotli-6', () => brotliCompressSync(input, brotli(6)), brotliDecompressSync],
    ];
    if (bytes <= 1_000_000) {
      variants.push([
        'brotli-11',
        () => brotliCompressSync(input, brotli(11)),
        brotliDecompressSync,
      ]);
    }
    for (const [name, pack, unpack] of variants) {
      const packed = pack();
      rows.push([
        kib(input.length),
        name,
        `${(input.length / packed.length).toFixed(2)}×`,
        kib(packed.length),
        packed.length + 60 <= LIMIT_BYTES ? 'yes' : 'no',
        `${time(pack, name === 'brotli-11' ? 1 : runs).toFixed(2)} ms`,
        `${time(() => unpack(packed), runs).toFixed(2)} ms`,
      ]);
    }
  }
  return {
    caption: 'brotli vs gzip on realistic JSON (node:zlib, synchronous, mean of runs)',
    columns: ['JSON', 'codec', 'ratio', 'compressed', 'fits 400 KB', 'compress', 'decompress'],
    rows,
  };
}

export const dynamodbStorage: Scenario = {
  id: 'dynamodb-storage',
  title: 'DynamoDB storage: item bytes, capacity units, codecs',
  extra: true,
  async run(ctx) {
    return {
      method:
        'glasswork `DynamoDBCacheStore` on dynalite writes realistic order-listing JSON (`test/helpers/realistic-json.ts`) uncompressed (`compressAboveBytes: Infinity`) and with its default (brotli above 1 KB); item bytes count attribute names and values as DynamoDB does. The codec table compresses the same JSON with node:zlib.',
      tables: [await capacity(ctx), codecs(ctx)],
    };
  },
};
