/**
 * RedisCacheStore benchmarks against raw ioredis in the same run, on a private
 * redis-server on a free loopback port (so the shared server is not filled with 1M keys).
 *
 *   npx tsx bench/redis.ts [--rounds N] [--hit-only | --delete-only]
 *
 * Targets: hit path ≤ 1.05× raw latency sequentially and ≥ 0.90× raw throughput with 100
 * in flight; delByPattern ≤ 0.8× a sequential SCAN + UNLINK loop, worst PING < 10 ms.
 */
import { cpus, loadavg } from 'node:os';
import { RedisServer } from '../test/helpers/redis-server.js';
import { benchDelete, type DeleteRun } from './redis-delete.js';
import { benchHitPath, GLASSWORK, median, RAW, RAW_TIMEOUT, STORE } from './redis-hit-path.js';
import { benchServiceOverhead } from './service-overhead.js';

const args = process.argv.slice(2);
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 7;
const server = await RedisServer.start();
const fmt = (value: number, digits = 2) => value.toFixed(digits);

try {
  const load = loadavg().map((value) => value.toFixed(2));
  console.log(
    `redis-server on ${server.url}, node ${process.version}, ${cpus().length} CPUs, load ${load.join(' ')}, ${rounds} rounds\n`,
  );
  if (!args.includes('--delete-only')) {
    const hit = await benchHitPath(server.url, rounds);
    console.log('Hit path (median of rounds)');
    for (const [name, us] of Object.entries(hit.latencyUs)) {
      const ops = hit.opsPerSec[name]!;
      console.log(
        `  ${name.padEnd(32)} ${fmt(us).padStart(8)} µs sequential  ${fmt(ops, 0).padStart(8)} ops/s @100`,
      );
    }
    console.log(
      `  glasswork ÷ raw: latency ${fmt(hit.latencyRatio, 3)}× (target ≤ 1.05), throughput ${fmt(hit.throughputRatio, 3)}× (target ≥ 0.90)`,
    );
    console.log(
      `  store only ÷ raw: latency ${fmt(hit.storeLatencyRatio, 3)}×, throughput ${fmt(hit.storeThroughputRatio, 3)}×`,
    );
    const cpuUs = (name: string) => 1e6 / hit.opsPerSec[name]!;
    console.log(
      `  client time per call @100: raw ${fmt(cpuUs(RAW))} µs, raw + timeout ${fmt(cpuUs(RAW_TIMEOUT))} µs, store ${fmt(cpuUs(STORE))} µs, glasswork ${fmt(cpuUs(GLASSWORK))} µs\n`,
    );
    console.log(
      'CacheService cost per get on an instant store: hot (100 in flight) | cold (after a round trip)',
    );
    for (const [name, cost] of Object.entries(await benchServiceOverhead(server.url, rounds))) {
      console.log(
        `  ${name.padEnd(40)} ${fmt(cost.hotNs, 0).padStart(6)} ns | ${fmt(cost.coldNs, 0).padStart(6)} ns`,
      );
    }
    console.log('');
  }
  if (!args.includes('--hit-only')) {
    const deletes = await benchDelete(server.url, Math.max(1, Math.ceil(rounds / 2)));
    const show = (name: string, run: DeleteRun) =>
      console.log(
        `  ${name.padEnd(30)} ${fmt(run.ms, 0).padStart(5)} ms | server busy ${fmt(run.serverBusyMs, 0).padStart(4)} ms, SCAN ${fmt(run.scanMs)} ms/call, longest command ${run.longestCommandMs ? `${run.longestCommandMs} ms` : '< 1 ms'} | PING worst ${fmt(run.worstPingMs)} ms, p99 ${fmt(run.p99PingMs)} ms (${run.pings})`,
      );
    console.log('delByPattern: 100k of 1M keys');
    for (const run of deletes.baseline) show('sequential SCAN + UNLINK loop', run);
    for (const run of deletes.glasswork) show('RedisCacheStore.delByPattern', run);
    for (const run of deletes.scanOnly) show('SCAN chain, no deletes (floor)', run);
    show('KEYS + UNLINK (reference)', deletes.keys);
    const worst = Math.max(...deletes.glasswork.map((run) => run.worstPingMs));
    const medianWorst = median(deletes.glasswork.map((run) => run.worstPingMs));
    console.log(
      `  glasswork ÷ loop: ${fmt(deletes.ratio, 3)}× (target ≤ 0.8; a single SCAN chain deleting nothing: ${fmt(deletes.floorRatio, 3)}×); worst PING during delByPattern ${fmt(worst)} ms, median of runs ${fmt(medianWorst)} ms (target < 10)`,
    );
  }
} finally {
  await server.stop();
}
