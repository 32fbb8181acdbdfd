/**
 * Measures the first cache call of a fresh process (a Lambda cold start) with and without
 * `store.connect()` in the init phase, for DynamoDB (on dynalite, in its own process) and
 * Redis (at REDIS_URL). Each configuration runs in `ROUNDS` fresh child processes, in
 * alternation; prints medians. Needs `npm run build` first.
 * Run: npx tsx bench/cold-start.ts
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynaliteProcess } from './harness/dynalite-process.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./workers/cold-start-child.mjs', import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  initMs: number;
  firstGetMs: number;
}

async function sample(args: string[]): Promise<Sample> {
  const { stdout } = await run(process.execPath, [CHILD, ...args], { timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const dynalite = await DynaliteProcess.start();
try {
  const table = await dynalite.glassworkTable();
  const configs: Record<string, string[]> = {
    'DynamoDB, nothing in init': ['dynamodb', 'none', dynalite.endpoint, table],
    'DynamoDB, connect() in init': ['dynamodb', 'connect', dynalite.endpoint, table],
    'DynamoDB, connect({ checkTable: true }) in init': [
      'dynamodb',
      'check',
      dynalite.endpoint,
      table,
    ],
    'Redis, nothing in init': ['redis', 'none', REDIS_URL],
    'Redis, connect() in init': ['redis', 'connect', REDIS_URL],
  };
  const results = new Map<string, Sample[]>(Object.keys(configs).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(configs)) results.get(name)!.push(await sample(args));
  }
  console.log(`| Configuration (median of ${ROUNDS} processes) | init | first get |`);
  console.log('| --- | --- | --- |');
  for (const [name, samples] of results) {
    const init = median(samples.map((s) => s.initMs));
    const first = median(samples.map((s) => s.firstGetMs));
    console.log(`| ${name} | ${init.toFixed(1)} ms | ${first.toFixed(1)} ms |`);
  }
} finally {
  await dynalite.stop();
}
