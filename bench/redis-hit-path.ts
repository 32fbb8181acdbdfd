/**
 * Hit path: `cache.get` through CacheService on a RedisCacheStore against raw ioredis
 * `GET` + `JSON.parse` of the same value, sequentially (latency) and with 100 calls in
 * flight (throughput). The store alone (`store.get` + envelope parse) is measured too, to
 * tell the store's cost from the service's.
 */
import { CacheService, RedisCacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { Bench } from 'tinybench';

const VALUE = {
  id: 123,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'editor'],
  createdAt: '2024-01-01T00:00:00.000Z',
  preferences: { theme: 'dark', language: 'en', notifications: { email: true, sms: false } },
};

type Variant = { name: string; get: () => Promise<unknown> };

export interface HitPathResult {
  /** Median over rounds of each variant's mean sequential latency, µs. */
  latencyUs: Record<string, number>;
  /** Median over rounds of each variant's throughput with 100 in flight, ops/s. */
  opsPerSec: Record<string, number>;
  /** Median over rounds of glasswork ÷ raw, per round (adjacent measurements). */
  latencyRatio: number;
  throughputRatio: number;
  storeLatencyRatio: number;
  storeThroughputRatio: number;
}

/** Variant names, in the order measured. */
export const RAW = 'raw ioredis GET + JSON.parse';
export const RAW_TIMEOUT = 'raw, commandTimeout 500 ms';
export const GLASSWORK = 'glasswork cache.get';
export const STORE = 'RedisCacheStore.get + parse';

export async function benchHitPath(url: string, rounds: number): Promise<HitPathResult> {
  const raw = new Redis(url);
  const rawTimeout = new Redis(url, { commandTimeout: 500 });
  const store = new RedisCacheStore({ url });
  const cache = new CacheService(store, {
    defaultTTL: 3600,
    keyPrefix: 'bench',
    logger: silentLogger,
  });
  await raw.set('bench:raw', JSON.stringify(VALUE));
  await cache.set('user', VALUE);
  const variants: Variant[] = [
    { name: RAW, get: async () => JSON.parse((await raw.get('bench:raw'))!) },
    { name: RAW_TIMEOUT, get: async () => JSON.parse((await rawTimeout.get('bench:raw'))!) },
    { name: GLASSWORK, get: () => cache.get('user') },
    {
      name: STORE,
      get: async () => {
        const payload = (await store.get('bench:user'))!;
        return JSON.parse(payload.slice(payload.indexOf(':', payload.indexOf(':', 4) + 1) + 1));
      },
    },
  ];
  for (const variant of variants) {
    const value = await variant.get();
    if (JSON.stringify(value) !== JSON.stringify(VALUE)) throw new Error(`${variant.name} misread`);
  }

  const latency: Record<string, number[]> = {};
  const throughput: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    const ordered = round % 2 === 0 ? variants : [...variants].reverse();
    const bench = new Bench({ time: 400, warmupTime: 100 });
    for (const variant of ordered) bench.add(variant.name, variant.get);
    await bench.run();
    for (const task of bench.tasks) {
      const mean = task.result.state === 'completed' ? task.result.latency.mean : Number.NaN;
      append(latency, task.name, mean * 1000);
    }
    for (const variant of ordered) {
      append(throughput, variant.name, await opsPerSecond(variant.get, 100, 30_000));
    }
  }
  await store.close();
  raw.disconnect();
  rawTimeout.disconnect();

  const ratio = (series: Record<string, number[]>, over: string) =>
    median(series[over]!.map((value, i) => value / series[RAW]![i]!));
  return {
    latencyUs: mapValues(latency, median),
    opsPerSec: mapValues(throughput, median),
    latencyRatio: ratio(latency, GLASSWORK),
    throughputRatio: ratio(throughput, GLASSWORK),
    storeLatencyRatio: ratio(latency, STORE),
    storeThroughputRatio: ratio(throughput, STORE),
  };
}

/** Runs `total` calls with `inFlight` at a time; resolves calls per second. */
async function opsPerSecond(
  call: () => Promise<unknown>,
  inFlight: number,
  total: number,
): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker)); // warm-up pass
  started = 0;
  const begin = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return total / ((performance.now() - begin) / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function append(series: Record<string, number[]>, name: string, value: number): void {
  const values = series[name] ?? [];
  values.push(value);
  series[name] = values;
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}
