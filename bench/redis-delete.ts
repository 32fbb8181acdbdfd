/**
 * `delByPattern` removing 100k of 1M keys against a plain sequential `SCAN COUNT 1000` +
 * `UNLINK` loop, with the latency a `PING` loop in another process sees meanwhile. For
 * reference: the same SCAN chain deleting nothing (the floor for any single chain of SCAN
 * calls), and `KEYS` + `UNLINK` once.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { RedisCacheStore } from 'glasswork';
import { Redis } from 'ioredis';
import { median } from './redis-hit-path.js';

const TOTAL_KEYS = 1_000_000;
const MATCHING_KEYS = 100_000;
const PATTERN = 'del:*';

export interface DeleteRun {
  ms: number;
  removed: number;
  /** The slowest PING round trip seen by a loop in another process, ms. */
  worstPingMs: number;
  /** The 99th percentile of those PING round trips, ms. */
  p99PingMs: number;
  pings: number;
  /** Mean server time of one SCAN call (INFO commandstats), ms. */
  scanMs: number;
  /** Time the server spent executing SCAN, KEYS and UNLINK (INFO commandstats), ms. */
  serverBusyMs: number;
  /** The longest single command the server ran (LATENCY LATEST, 1 ms resolution), ms; 0 when under 1 ms. */
  longestCommandMs: number;
}

export interface DeleteResult {
  baseline: DeleteRun[];
  glasswork: DeleteRun[];
  scanOnly: DeleteRun[];
  keys: DeleteRun;
  /** Median glasswork time ÷ median baseline time. */
  ratio: number;
  /** Median SCAN-only time ÷ median baseline time. */
  floorRatio: number;
}

export async function benchDelete(url: string, rounds: number): Promise<DeleteResult> {
  const raw = new Redis(url);
  const store = new RedisCacheStore({ url });
  await raw.flushall();
  await raw.config('SET', 'latency-monitor-threshold', '1');
  // Every tenth key matches, so matches are spread over the whole keyspace.
  await load(raw, TOTAL_KEYS - MATCHING_KEYS, (i) => `keep:${i}`);
  const reload = () => load(raw, MATCHING_KEYS, (i) => `del:${i}`);

  const baseline: DeleteRun[] = [];
  const glasswork: DeleteRun[] = [];
  const scanOnly: DeleteRun[] = [];
  for (let round = 0; round < rounds; round++) {
    const order: Array<[DeleteRun[], () => Promise<number>]> = [
      [baseline, () => sequentialScanUnlink(raw)],
      [glasswork, () => store.delByPattern(PATTERN)],
      [scanOnly, () => sequentialScanUnlink(raw, false)],
    ];
    if (round % 2 === 1) order.reverse();
    for (const [runs, remove] of order) {
      await reload();
      if ((await raw.dbsize()) !== TOTAL_KEYS) throw new Error('keyspace not loaded');
      runs.push(await measure(raw, url, remove));
    }
  }
  await reload();
  const keys = await measure(raw, url, async () => {
    const found = await raw.keys(PATTERN);
    let removed = 0;
    for (let i = 0; i < found.length; i += 1000)
      removed += await raw.unlink(...found.slice(i, i + 1000));
    return removed;
  });

  await store.close();
  await raw.flushall();
  raw.disconnect();
  const ms = (runs: DeleteRun[]) => median(runs.map((run) => run.ms));
  return {
    baseline,
    glasswork,
    scanOnly,
    keys,
    ratio: ms(glasswork) / ms(baseline),
    floorRatio: ms(scanOnly) / ms(baseline),
  };
}

/**
 * The baseline: one SCAN, then its UNLINK, then the next SCAN. With `unlink` false it
 * only counts the keys found.
 */
async function sequentialScanUnlink(raw: Redis, unlink = true): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await raw.scan(cursor, 'MATCH', PATTERN, 'COUNT', 1000);
    if (!unlink) removed += keys.length;
    else if (keys.length > 0) removed += await raw.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

/**
 * Times `remove` while a PING loop (one PING about every millisecond) in another process
 * records its round trips, and
 * reads how long the server itself was busy and its longest command.
 */
async function measure(raw: Redis, url: string, remove: () => Promise<number>): Promise<DeleteRun> {
  await raw.config('RESETSTAT');
  await raw.call('LATENCY', 'RESET');
  const pinger = await startPinger(url);
  const begin = performance.now();
  const removed = await remove();
  const ms = performance.now() - begin;
  const ping = await pinger.stop();
  if (removed !== MATCHING_KEYS) throw new Error(`removed ${removed}, expected ${MATCHING_KEYS}`);
  const stats = await raw.info('commandstats');
  const usec = (command: string) =>
    Number(new RegExp(`cmdstat_${command}:calls=\\d+,usec=(\\d+)`).exec(stats)?.[1] ?? 0);
  const scanUsecPerCall = Number(/cmdstat_scan:.*usec_per_call=([\d.]+)/.exec(stats)?.[1] ?? 0);
  const latest = (await raw.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
  return {
    ms,
    removed,
    worstPingMs: ping.worstMs,
    p99PingMs: ping.p99Ms,
    pings: ping.count,
    scanMs: scanUsecPerCall / 1000,
    serverBusyMs: (usec('scan') + usec('keys') + usec('unlink')) / 1000,
    longestCommandMs: Math.max(
      0,
      ...latest.filter(([event]) => event === 'command').map((e) => e[3]),
    ),
  };
}

/** Writes `count` keys with pipelines of 10,000 SETs, four pipelines in flight. */
async function load(raw: Redis, count: number, name: (i: number) => string): Promise<void> {
  const batch = 10_000;
  const batches = Array.from({ length: Math.ceil(count / batch) }, (_, b) => b);
  const writeBatch = async (b: number) => {
    const pipeline = raw.pipeline();
    for (let i = b * batch; i < Math.min(count, (b + 1) * batch); i++) pipeline.set(name(i), 'v');
    await pipeline.exec();
  };
  for (let b = 0; b < batches.length; b += 4)
    await Promise.all(batches.slice(b, b + 4).map(writeBatch));
}

const PINGER = `
const Redis = require(process.argv[1]);
const client = new Redis(process.argv[2]);
let stopping = false;
process.on('message', () => { stopping = true; });
(async () => {
  await client.ping();
  process.send('ready');
  const samples = [];
  while (!stopping) {
    const begin = performance.now();
    await client.ping();
    samples.push(performance.now() - begin);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  client.disconnect();
  samples.sort((a, b) => a - b);
  const p99Ms = samples[Math.floor(samples.length * 0.99)] ?? 0;
  process.send({ worstMs: samples.at(-1) ?? 0, p99Ms, count: samples.length }, () => process.exit(0));
})();
`;

interface PingStats {
  worstMs: number;
  p99Ms: number;
  count: number;
}

/**
 * Starts the PING loop in its own process, at a higher scheduling priority where allowed,
 * so that it measures the server rather than this process competing for the CPU.
 */
async function startPinger(url: string) {
  const ioredis = createRequire(import.meta.url).resolve('ioredis');
  const child = fork('-e', [], {
    execArgv: ['-e', PINGER, ioredis, url],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    setPriority(child.pid!, -15);
  } catch {}
  const next = () => new Promise<unknown>((resolve) => child.once('message', resolve));
  await next();
  return {
    async stop(): Promise<PingStats> {
      const result = next();
      child.send('stop');
      const stats = (await result) as PingStats;
      await new Promise((resolve) => child.once('exit', resolve));
      return stats;
    },
  };
}
