/**
 * MemoryCacheStore and CacheService on it vs lru-cache, in one run.
 * Run: npx tsx bench/memory.ts
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';

const KEYS = 1000;
const value = { id: 42, name: 'Ada Lovelace', roles: ['admin', 'author'], active: true };

const lru = new LRUCache<string, object>({ max: 10_000, ttl: 60_000 });
const lruJson = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });
const store = new MemoryCacheStore();
const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60, logger: silentLogger });

for (let i = 0; i < KEYS; i++) {
  lru.set(`k${i}`, value);
  lruJson.set(`k${i}`, JSON.stringify(value));
  await store.set(`k${i}`, JSON.stringify(value), 60_000);
  await cache.set(`k${i}`, value);
}

let i = 0;
const next = () => `k${i++ % KEYS}`;
const bench = new Bench({ time: 500, warmupTime: 100 });
bench
  .add('lru-cache get (object reference)', () => {
    lru.get(next());
  })
  .add('lru-cache get + JSON.parse (copy)', () => {
    JSON.parse(lruJson.get(next())!);
  })
  .add('MemoryCacheStore get + JSON.parse', async () => {
    JSON.parse((await store.get(next()))!);
  })
  .add('CacheService.get on MemoryCacheStore', async () => {
    await cache.get(next());
  })
  .add('lru-cache set (object reference)', () => {
    lru.set(next(), value);
  })
  .add('lru-cache set + JSON.stringify (copy)', () => {
    lruJson.set(next(), JSON.stringify(value));
  })
  .add('CacheService.set on MemoryCacheStore', async () => {
    await cache.set(next(), value);
  });

await bench.run();
const rows = bench.tasks.map((task) => {
  const hz = task.result && 'throughput' in task.result ? task.result.throughput.mean : 0;
  return { name: task.name, 'ops/s': Math.round(hz).toLocaleString('en-US') };
});
console.table(rows);
