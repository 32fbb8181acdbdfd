/**
 * DynamoDBCacheStore benchmarks against dynalite (in a child process, on loopback):
 *   1. hit path: `cache.get` through CacheService vs a raw GetItemCommand + JSON.parse,
 *      same client, same run (target <= 1.05x). Over loopback, calls are interleaved one by
 *      one in rotating order and timed singly, so the load of a shared machine drifts over
 *      all tasks alike; the client-side cost alone is measured with tinybench on a stubbed
 *      client;
 *   2. stored item bytes and capacity units for 10 KB, 100 KB and 1 MB JSON values,
 *      compressed vs not;
 *   3. brotli vs gzip on realistic JSON: ratio and time to compress and decompress.
 *
 * Run with: npx tsx bench/dynamodb.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
} from 'node:zlib';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheLimitError, CacheService, createCacheTable, DynamoDBCacheStore } from 'glasswork';
import { Bench } from 'tinybench';
import { type Item, itemSize } from '../src/stores/dynamodb/item.js';
import { realisticJson, realisticRecords } from '../test/helpers/realistic-json.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const PAIRED_CALLS = 4000;
const WARMUP_CALLS = 500;
const STUB_BENCH_MS = 1500;
const TABLE = 'bench-cache';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const cli = new URL('../node_modules/dynalite/cli.js', import.meta.url).pathname;
  const args = [cli, '--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dynalite did not start within 10 s')), 10_000);
    child.stdout?.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Per-call latencies (ms) of each task: calls interleaved one by one, order rotating. */
async function interleaved(
  tasks: Record<string, () => Promise<unknown>>,
): Promise<Record<string, number[]>> {
  const names = Object.keys(tasks);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let call = 0; call < WARMUP_CALLS + PAIRED_CALLS; call++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(call + turn) % names.length]!;
      const started = performance.now();
      await tasks[name]!();
      if (call >= WARMUP_CALLS) samples[name]!.push(performance.now() - started);
    }
  }
  return samples;
}

/** Mean latency (ms) of each task, measured by tinybench one task after the other. */
async function microbench(
  tasks: Record<string, () => Promise<unknown>>,
): Promise<Record<string, number[]>> {
  const bench = new Bench({ time: STUB_BENCH_MS, warmupTime: 300 });
  for (const [name, task] of Object.entries(tasks)) bench.add(name, task);
  await bench.run();
  return Object.fromEntries(
    bench.tasks.map((task) => {
      if (!('latency' in task.result)) throw new Error(`${task.name}: ${task.result.state}`);
      return [task.name, [task.result.latency.mean]];
    }),
  );
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

const HIT_VALUES = [
  ['400 B JSON', realisticRecords(400)],
  ['10 KB JSON (stored compressed)', realisticRecords(10_000)],
] as const;

/** A client answering every GetItem from `items` at once: the client-side cost alone. */
function stubClient(items: Map<string, Item>): DynamoDBClient {
  const send = async (command: GetItemCommand) => ({ Item: items.get(command.input.Key!.pk!.S!) });
  return { send } as unknown as DynamoDBClient;
}

async function hitPath(real: DynamoDBClient): Promise<void> {
  console.log('\n## Hit path: cache.get vs raw GetItem + parse');
  const items = new Map<string, Item>();
  const writer = new CacheService(new DynamoDBCacheStore({ tableName: TABLE, client: real }), {
    defaultTTL: 3600,
  });
  for (const [label, records] of HIT_VALUES) {
    await writer.set(`gw:${label}`, records);
    await real.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: `raw:${label}` },
          expiresAt: { N: String(Math.ceil(Date.now() / 1000) + 3600) },
          expiresAtMs: { N: String(Date.now() + 3_600_000) },
          value: { S: JSON.stringify(records) },
        },
      }),
    );
    for (const key of [`gw:${label}`, `raw:${label}`]) {
      const { Item } = await real.send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }),
      );
      items.set(key, Item!);
    }
  }
  for (const [title, client, measure] of [
    [
      `dynalite over loopback (child process); ${PAIRED_CALLS} interleaved calls per task`,
      real,
      interleaved,
    ],
    [
      'stubbed client, no I/O: the client-side cost alone (tinybench)',
      stubClient(items),
      microbench,
    ],
  ] as const) {
    const store = new DynamoDBCacheStore({ tableName: TABLE, client });
    const cache = new CacheService(store, { defaultTTL: 3600 });
    const rawGet = async (key: string) => {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } }, ConsistentRead: true }),
      );
      if (Item === undefined || Number(Item.expiresAtMs?.N) <= Date.now()) return undefined;
      return JSON.parse(Item.value!.S!);
    };
    console.log(`\n### ${title}\n`);
    console.log(
      '| value | cache.get (CacheService) | store.get (payload string) | raw GetItem + expiry check + JSON.parse | cache.get / raw |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const [label] of HIT_VALUES) {
      const samples = await measure({
        glasswork: () => cache.get(`gw:${label}`),
        store: () => store.get(`gw:${label}`),
        raw: () => rawGet(`raw:${label}`),
      });
      const stat = samples.glasswork!.length > 1 ? median : mean;
      const us = (name: string) => `${(stat(samples[name]!) * 1000).toFixed(1)} µs`;
      const ratio = (of: (values: number[]) => number) =>
        (of(samples.glasswork!) / of(samples.raw!)).toFixed(3);
      const ratios =
        samples.glasswork!.length > 1
          ? `${ratio(median)}x median, ${ratio(mean)}x mean`
          : `${ratio(mean)}x mean`;
      console.log(`| ${label} | ${us('glasswork')} | ${us('store')} | ${us('raw')} | ${ratios} |`);
    }
  }
}

async function capacity(client: DynamoDBClient): Promise<void> {
  console.log(
    '\n## Stored bytes and capacity units (1 WCU per 1 KB written, 1 RCU per 4 KB strongly consistent read)\n',
  );
  console.log(
    '| JSON value | stored as | item bytes | WCU per write | RCU per strong read | RCU per eventual read |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const bytes of [10_000, 100_000, 1_000_000]) {
    const records = realisticRecords(bytes);
    for (const compressAboveBytes of [Number.POSITIVE_INFINITY, 1024]) {
      const store = new DynamoDBCacheStore({ tableName: TABLE, client, compressAboveBytes });
      const cache = new CacheService(store, { defaultTTL: 3600 });
      const key = `cap:${bytes}:${compressAboveBytes}`;
      let size: number;
      let note = '';
      try {
        await cache.set(key, records);
        const { Item } = await client.send(
          new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }),
        );
        size = itemSize(Item!);
      } catch (error) {
        if (!(error instanceof CacheLimitError)) throw error;
        size = error.size;
        note = ' (refused: over 400 KB)';
      }
      const label = compressAboveBytes === 1024 ? 'brotli B' : 'string S';
      const rcu = Math.ceil(size / 4096);
      console.log(
        `| ${kb(JSON.stringify(records).length)} | ${label}${note} | ${size} | ${Math.ceil(size / 1024)} | ${rcu} | ${rcu / 2} |`,
      );
    }
  }
}

function codecs(): void {
  console.log('\n## brotli vs gzip on realistic JSON (node:zlib, synchronous, mean of runs)\n');
  console.log('| JSON | codec | ratio | compressed | fits 400 KB | compress | decompress |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const time = (run: () => unknown, runs: number) => {
    const started = performance.now();
    for (let i = 0; i < runs; i++) run();
    return (performance.now() - started) / runs;
  };
  for (const bytes of [10_000, 100_000, 1_000_000, 3_000_000]) {
    const input = Buffer.from(realisticJson(bytes));
    const runs = Math.max(2, Math.min(200, Math.round(20_000_000 / bytes)));
    const brotli = (quality: number) => ({
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
      },
    });
    const variants: [string, () => Buffer, (packed: Buffer) => Buffer][] = [
      ['gzip-6', () => gzipSync(input, { level: 6 }), gunzipSync],
      ['gzip-9', () => gzipSync(input, { level: 9 }), gunzipSync],
      ['brotli-4', () => brotliCompressSync(input, brotli(4)), brotliDecompressSync],
      ['brotli-5 (chosen)', () => brotliCompressSync(input, brotli(5)), brotliDecompressSync],
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
      const slow = name === 'brotli-11';
      console.log(
        `| ${kb(input.length)} | ${name} | ${(input.length / packed.length).toFixed(2)}x | ${kb(packed.length)} | ${packed.length + 60 <= 409_600 ? 'yes' : 'no'} | ${time(pack, slow ? 1 : runs).toFixed(2)} ms | ${time(() => unpack(packed), runs).toFixed(2)} ms |`,
      );
    }
  }
}

async function main(): Promise<void> {
  const { endpoint, child } = await startServer();
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await createCacheTable({ client, tableName: TABLE });
    console.log(
      `# DynamoDBCacheStore benchmarks (dynalite at ${endpoint}, Node ${process.version})`,
    );
    await hitPath(client);
    await capacity(client);
    codecs();
  } finally {
    client.destroy();
    child.kill();
  }
}

await main();
