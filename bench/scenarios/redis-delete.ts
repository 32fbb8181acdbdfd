/**
 * `delByPattern` removing 100k of 1M keys on a private redis-server, against a plain
 * sequential `SCAN COUNT 1000` + `UNLINK` loop (the baseline), with the latency a `PING` loop
 * in another process sees meanwhile. For reference: the same SCAN chain deleting nothing (the
 * floor for any single chain of SCAN calls), the PING loop alone with nothing running (the
 * machine's own noise), and `KEYS` + `UNLINK` once.
 */
import { cpus } from 'node:os';
import { RedisCacheStore } from 'glasswork';
import { Redis } from 'ioredis';
import { createClient, type RedisClientType } from 'redis';
import { startPingLoop } from '../harness/ping-loop.js';
import type { Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { fmt, median, times } from '../harness/stats.js';

const TOTAL_KEYS = 1_000_000;
const MATCHING_KEYS = 100_000;
const PATTERN = 'del:*';

interface DeleteRun {
  ms: number;
  /** Why the run failed, if it did (the keys removed are then not checked). */
  error?: string;
  /** The slowest PING round trip seen by the loop in another process, ms. */
  worstPingMs: number;
  p99PingMs: number;
  /** Time the server spent executing SCAN, KEYS and UNLINK (INFO commandstats), ms. */
  serverBusyMs: number;
  /** The longest single command the server ran (SLOWLOG, µs resolution), ms; 0 when under 1 ms. */
  longestCommandMs: number;
  /** The command that took longest, lower-case (empty when none took 1 ms). */
  longestCommand: string;
}

const BASELINE = 'sequential SCAN COUNT 1000 + UNLINK loop';
const GLASSWORK = 'glasswork delByPattern, RedisCacheStore({ client })';
const GLASSWORK_URL = 'glasswork delByPattern, RedisCacheStore({ url })';
const NR_BASELINE = 'sequential SCAN COUNT 1000 + UNLINK loop, node-redis';
const GLASSWORK_NR = 'glasswork delByPattern on node-redis, RedisCacheStore({ client })';
const FLOOR = 'SCAN chain deleting nothing (floor)';
const KEYS = 'KEYS + UNLINK (reference)';
const IDLE = 'nothing running, PING loop only (control)';
/** How long the control listens before any glasswork run: about as long as one delete. */
const FIRST_IDLE_MS = 1200;

export const redisDelete: Scenario = {
  id: 'redis-delete',
  title: '`delByPattern`: 100k of 1M Redis keys, and a concurrent PING',
  async run(ctx) {
    const { url } = await ctx.redis();
    const raw = new Redis(url);
    const client = new Redis(url);
    const store = new RedisCacheStore({ client });
    const defaultStore = new RedisCacheStore({ url });
    const nodeRedis: RedisClientType = createClient({ url });
    const nodeRedisStore = new RedisCacheStore({ client: nodeRedis });
    const runs: Record<string, DeleteRun[]> = {
      [BASELINE]: [],
      [GLASSWORK]: [],
      [NR_BASELINE]: [],
      [GLASSWORK_NR]: [],
      [FLOOR]: [],
      [IDLE]: [],
      [GLASSWORK_URL]: [],
      [KEYS]: [],
    };
    const rounds = ctx.pick(7, 1);
    const idleMs = () => {
      const done = runs[GLASSWORK]!.map((run) => run.ms);
      return done.length > 0 ? median(done) : FIRST_IDLE_MS;
    };
    try {
      await raw.flushall();
      await raw.config('SET', 'slowlog-log-slower-than', '1000');
      await raw.config('SET', 'slowlog-max-len', '100000');
      ctx.log(`loading ${TOTAL_KEYS.toLocaleString('en-US')} keys`);
      // Every tenth key matches, so matches are spread over the whole keyspace.
      await load(raw, TOTAL_KEYS - MATCHING_KEYS, (i) => `keep:${i}`);
      await nodeRedisStore.connect();
      const variants: Array<[string, () => Promise<number>]> = [
        [BASELINE, () => sequentialScanUnlink(raw)],
        [GLASSWORK, () => store.delByPattern(PATTERN)],
        [NR_BASELINE, () => nodeRedisScanUnlink(nodeRedis)],
        [GLASSWORK_NR, () => nodeRedisStore.delByPattern(PATTERN)],
        [FLOOR, () => sequentialScanUnlink(raw, false)],
        // The control listens as long as glasswork's deletes have taken so far (median).
        [IDLE, () => new Promise<number>((resolve) => setTimeout(() => resolve(0), idleMs()))],
      ];
      for (let round = 0; round < rounds; round++) {
        ctx.log(`round ${round + 1} of ${rounds}`);
        for (const [name, remove] of round % 2 ? [...variants].reverse() : variants) {
          runs[name]!.push(await measure(raw, url, remove, name === IDLE ? 0 : MATCHING_KEYS));
        }
      }
      runs[GLASSWORK_URL]!.push(await measure(raw, url, () => defaultStore.delByPattern(PATTERN)));
      runs[KEYS]!.push(await measure(raw, url, () => keysUnlink(raw)));
    } finally {
      await Promise.all([store.close(), defaultStore.close(), nodeRedisStore.close()]);
      client.disconnect();
      if (nodeRedis.isOpen) nodeRedis.destroy();
      await raw.flushall().catch(() => undefined);
      raw.disconnect();
    }
    const ms = (name: string) => median(runs[name]!.map((run) => run.ms));
    /** The worst PING of the median run, and of the worst run. */
    const worst = (name: string) => median(runs[name]!.map((run) => run.worstPingMs));
    const worstOfAll = (name: string) => Math.max(...runs[name]!.map((run) => run.worstPingMs));
    const cpuCount = cpus().length;
    /**
     * `name`'s time ÷ the baseline's, per round, then the median over the rounds (as in the
     * other scenarios: a round's runs are close in time, so drifts of the machine cancel).
     * A variant that ran once is held against the median baseline.
     */
    const ratioOf = (name: string, baseline = BASELINE) => {
      const own = runs[name]!;
      const base = runs[baseline]!;
      return own.length === base.length
        ? median(own.map((run, round) => run.ms / base[round]!.ms))
        : ms(name) / ms(baseline);
    };
    const ratio = ratioOf(GLASSWORK);
    const nodeRedisRatio = ratioOf(GLASSWORK_NR, NR_BASELINE);
    const keysLongestMs = Math.max(...runs[KEYS]!.map((run) => run.longestCommandMs));
    const nodeRedisLongestMs = Math.max(...runs[GLASSWORK_NR]!.map((run) => run.longestCommandMs));
    const urlRun = runs[GLASSWORK_URL]![0]!;
    const checks: Check[] = [
      {
        name: `delByPattern 100k of 1M keys: time ÷ ${BASELINE}`,
        measured: times(ratio, 3),
        target: '≤ 0.80×',
        pass: ratio <= 0.8,
      },
      {
        name: `delByPattern 100k of 1M keys: worst concurrent PING over ${rounds} runs`,
        measured: `${fmt(worstOfAll(GLASSWORK), 1)} ms`,
        target: '< 10 ms',
        pass: worstOfAll(GLASSWORK) < 10,
      },
      {
        name: `delByPattern 100k of 1M keys on node-redis: time ÷ ${NR_BASELINE}`,
        measured: times(nodeRedisRatio, 3),
        target: '≤ 0.80×',
        pass: nodeRedisRatio <= 0.8,
      },
      {
        name: 'delByPattern 100k of 1M keys on node-redis: longest server command (SLOWLOG) ÷ KEYS on that keyspace',
        measured: `${nodeRedisLongestMs === 0 ? '< 1' : fmt(nodeRedisLongestMs, 1)} ms of ${fmt(keysLongestMs, 1)} ms`,
        target: '≤ 0.10×',
        pass: nodeRedisLongestMs <= keysLongestMs / 10,
      },
      {
        name: 'delByPattern 100k of 1M keys with RedisCacheStore({ url }) (default options)',
        measured: urlRun.error ? `failed after ${fmt(urlRun.ms)} ms: ${urlRun.error}` : 'completed',
        target: 'completes',
        pass: urlRun.error === undefined,
      },
    ];
    const rows = Object.keys(runs).map((name) => {
      const row = runs[name]!;
      const targets = name === GLASSWORK ? [checks[0]!, checks[1]!] : undefined;
      const nodeRedisTargets = name === GLASSWORK_NR ? [checks[2]!, checks[3]!] : undefined;
      const failed = row.find((run) => run.error !== undefined);
      return [
        name,
        String(row.length),
        failed ? `failed after ${fmt(failed.ms)}` : fmt(ms(name)),
        failed || name === IDLE
          ? ''
          : name === GLASSWORK_NR
            ? `${times(ratioOf(name, NR_BASELINE))} of the node-redis loop`
            : times(ratioOf(name)),
        fmt(median(row.map((run) => run.serverBusyMs))),
        longest(row),
        fmt(worst(name), 1),
        fmt(worstOfAll(name), 1),
        fmt(median(row.map((run) => run.p99PingMs)), 1),
        targets
          ? '≤ 0.80×; PING < 10 ms'
          : nodeRedisTargets
            ? '≤ 0.80×; longest ≤ KEYS ÷ 10'
            : name === GLASSWORK_URL
              ? 'completes'
              : '',
        (targets ?? nodeRedisTargets)
          ? `${verdict((targets ?? nodeRedisTargets)![0]!.pass)}; ${verdict((targets ?? nodeRedisTargets)![1]!.pass)}`
          : name === GLASSWORK_URL
            ? verdict(checks[4]!.pass)
            : '',
      ];
    });
    return {
      method: [
        `A private \`redis-server\` holds ${TOTAL_KEYS.toLocaleString('en-US')} keys, every tenth matching \`${PATTERN}\`; each run reloads the ${MATCHING_KEYS.toLocaleString('en-US')} matching keys (pipelined) and removes them. Meanwhile a PING loop in its own process (one PING about every millisecond, raised priority) records its round trips. Time ÷ baseline is the median over the rounds of each round's ratio (a variant run once is held against the baseline's median). Runs of the four variants (three deletes and a control in which nothing runs for as long as glasswork's deletes take, median so far) alternate in order over ${rounds} round(s); \`KEYS\` runs once. A run's worst PING is its slowest round trip; the table gives the median of the runs' worst and the worst of all runs (the target is checked on the worst of all). The control measures the machine's own noise (${cpuCount} CPUs shared by the server, this process and the PING loop): a spike it shows is not caused by any delete. Server busy time is SCAN + KEYS + UNLINK time from \`INFO commandstats\`; the longest command is the slowest SCAN, UNLINK or KEYS in \`SLOWLOG\` (commands of 1 ms or more) over all runs, as the server timed it (on a shared VM that includes any time the server was descheduled). A client arriving then waits at least that long; behind glasswork's overlapped calls it may wait for a SCAN and an UNLINK.`,
        "glasswork: `RedisCacheStore.delByPattern` (SCAN `COUNT 1000`, each batch's `UNLINK` overlapping the next SCAN), on a store given an ioredis client (`{ client }`) and on one given a node-redis client (held against the same sequential loop written with node-redis) in every round, and once on a store that makes its own connection (`{ url }`, the documented default, whose connection has the store's stall watchdog). bentocache and cache-manager have no pattern delete (bentocache `clear()` and tags; cache-manager `clear()`).",
      ].join('\n\n'),
      notes: urlRun.error
        ? [
            `\`RedisCacheStore({ url })\`: \`delByPattern\` rejected with ${urlRun.error} after ${fmt(urlRun.ms)} ms, having removed part of the keys. Its connection's stall watchdog counts the whole \`delByPattern\` as one pending command and none of its SCAN and UNLINK replies as answers, so after about two watchdog periods (commandTimeoutMs 500 ms) it declares the connection stalled and destroys it. A store given a client (\`{ client }\`) has no watchdog and completes.`,
          ]
        : [],
      tables: [
        {
          columns: [
            'variant',
            'runs',
            'time ms (median)',
            '÷ baseline (median of rounds)',
            'server busy ms',
            'longest command ms (server)',
            'worst PING ms (median of runs)',
            'worst PING ms (worst run)',
            'p99 PING ms (median of runs)',
            'target',
            'result',
          ],
          rows,
        },
      ],
      checks,
      panels: [
        {
          title: `delByPattern, 100k of 1M keys: time ÷ ${BASELINE} (lower is better)`,
          bars: [GLASSWORK, GLASSWORK_NR, FLOOR, KEYS].map((name) => ({
            label: name.replace(', RedisCacheStore', ' ').replace(' (reference)', ''),
            value: ratioOf(name, name === GLASSWORK_NR ? NR_BASELINE : BASELINE),
            text: `${times(ratioOf(name, name === GLASSWORK_NR ? NR_BASELINE : BASELINE))}, worst PING ${fmt(worstOfAll(name), 1)} ms`,
            highlight: name === GLASSWORK,
          })),
          reference: { value: 1, label: 'baseline' },
          target: { value: 0.8, label: 'target ≤ 0.8' },
        },
      ],
    };
  },
};

/** Reloads the matching keys, then times `remove` while a PING loop runs; reads server stats. */
async function measure(
  client: Redis,
  serverUrl: string,
  remove: () => Promise<number>,
  expected = MATCHING_KEYS,
): Promise<DeleteRun> {
  await load(client, MATCHING_KEYS, (i) => `del:${i}`);
  if ((await client.dbsize()) !== TOTAL_KEYS) throw new Error('keyspace not loaded');
  await client.config('RESETSTAT');
  await client.slowlog('RESET');
  const pings = await startPingLoop(serverUrl);
  const begin = performance.now();
  let error: string | undefined;
  const removed = await remove().catch((failure: unknown) => {
    error =
      failure instanceof Error
        ? `${(failure as { code?: string }).code ?? ''} ${failure.message}`.trim()
        : String(failure);
    return -1;
  });
  const elapsed = performance.now() - begin;
  const ping = await pings.stop();
  if (error === undefined && removed !== expected) {
    throw new Error(`removed ${removed}, expected ${expected}`);
  }
  const stats = await client.info('commandstats');
  const usec = (command: string) =>
    Number(new RegExp(`cmdstat_${command}:calls=\\d+,usec=(\\d+)`).exec(stats)?.[1] ?? 0);
  const slow = ((await client.slowlog('GET', -1)) as Array<[number, number, number, string[]]>)
    .map(([, , micros, args]) => ({ ms: micros / 1000, command: String(args[0]).toLowerCase() }))
    .filter((entry) => ['scan', 'unlink', 'keys'].includes(entry.command))
    .sort((a, b) => b.ms - a.ms);
  return {
    ms: elapsed,
    ...(error === undefined ? {} : { error }),
    worstPingMs: ping.worstMs,
    p99PingMs: ping.p99Ms,
    serverBusyMs: (usec('scan') + usec('keys') + usec('unlink')) / 1000,
    longestCommandMs: slow[0]?.ms ?? 0,
    longestCommand: slow[0]?.command ?? '',
  };
}

/** The longest command over `runs`, with its name: "4.2 (scan)". */
function longest(runs: readonly DeleteRun[]): string {
  const top = runs.reduce((a, b) => (b.longestCommandMs > a.longestCommandMs ? b : a));
  return top.longestCommandMs === 0
    ? '< 1'
    : `${fmt(top.longestCommandMs, 1)} (${top.longestCommand})`;
}

/** The baseline: one SCAN, then its UNLINK, then the next SCAN. With `unlink` false it only counts. */
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

async function keysUnlink(raw: Redis): Promise<number> {
  const found = await raw.keys(PATTERN);
  let removed = 0;
  for (let i = 0; i < found.length; i += 1000)
    removed += await raw.unlink(...found.slice(i, i + 1000));
  return removed;
}

/** The baseline written with node-redis. */
async function nodeRedisScanUnlink(client: RedisClientType): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = (await client.sendCommand([
      'SCAN',
      cursor,
      'MATCH',
      PATTERN,
      'COUNT',
      '1000',
    ])) as [string, string[]];
    if (keys.length > 0) removed += (await client.sendCommand(['UNLINK', ...keys])) as number;
    cursor = next;
  } while (cursor !== '0');
  return removed;
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
