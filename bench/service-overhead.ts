/**
 * What CacheService adds per `get` hit, measured on a store that answers at once (no I/O):
 * the base is `store.get` + `JSON.parse`, then each layer the service adds. Two regimes:
 * "hot", 100 calls in flight (mean per call), and "cold", one call right after each Redis
 * round trip, as in a sequential request path (median). Shows how much of the hit path's
 * overhead is the service's rather than the store's.
 */
import { CacheService, type CacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { decodeEntry, encodeEntry } from '../src/cache/envelope.js';
import { GuardedStore } from '../src/cache/guarded-store.js';
import { median } from './redis-hit-path.js';

export interface LayerCost {
  hotNs: number;
  coldNs: number;
}

export async function benchServiceOverhead(
  url: string,
  rounds: number,
): Promise<Record<string, LayerCost>> {
  const json = JSON.stringify({ id: 123, name: 'Ada Lovelace', roles: ['admin', 'editor'] });
  const now = Date.now();
  const entry = encodeEntry({ payload: json, createdAtMs: now, expiresAtMs: now + 3_600_000 });
  const instant: CacheStore = {
    name: 'instant',
    get: (key) => Promise.resolve(key === 'json' ? json : entry),
    set: async () => {},
    del: async () => true,
  };
  const service = (storeTimeoutMs?: number) =>
    new CacheService(instant, { defaultTTL: 3600, logger: silentLogger, storeTimeoutMs });
  const guard = (timeoutMs: number) =>
    new GuardedStore(instant, { timeoutMs, patternTimeoutMs: timeoutMs, logger: silentLogger });
  const [withTimer, withoutTimer] = [service(), service(0)];
  const [guardTimer, guardNoTimer] = [guard(3000), guard(0)];
  const calls: Record<string, () => Promise<unknown>> = {
    'store.get + JSON.parse (base)': async () => JSON.parse((await instant.get('json'))!),
    'store.get + envelope decode + parse': async () =>
      JSON.parse(decodeEntry((await instant.get('k'))!)!.payload),
    'GuardedStore.get, 3000 ms timer': () => guardTimer.get('k'),
    'GuardedStore.get, no timer': () => guardNoTimer.get('k'),
    'CacheService.get': () => withTimer.get('k'),
    'CacheService.get, storeTimeoutMs 0': () => withoutTimer.get('k'),
  };
  const raw = new Redis(url);
  const hot: Record<string, number[]> = {};
  const cold: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of Object.entries(calls)) {
      hot[name] = [...(hot[name] ?? []), await nsPerCall(call, 100, 200_000)];
      cold[name] = [...(cold[name] ?? []), await coldNs(raw, call, 2000)];
    }
  }
  raw.disconnect();
  return Object.fromEntries(
    Object.keys(calls).map((name) => [
      name,
      { hotNs: median(hot[name]!), coldNs: median(cold[name]!) },
    ]),
  );
}

async function nsPerCall(call: () => Promise<unknown>, inFlight: number, total: number) {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await call();
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return ((performance.now() - begin) * 1e6) / total;
}

/** Median time of `call` made right after a Redis round trip, in nanoseconds. */
async function coldNs(raw: Redis, call: () => Promise<unknown>, samples: number) {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    await raw.ping();
    const begin = performance.now();
    await call();
    times.push((performance.now() - begin) * 1e6);
  }
  return median(times);
}
