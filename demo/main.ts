/**
 * A short walk through the cache API on the in-memory store: miss, hit, single-flight,
 * stale-while-revalidate and invalidation by pattern. Run with `npm start`.
 */
import { CacheService, createCacheKey, MemoryCacheStore } from 'glasswork';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let upstreamCalls = 0;
/** A deliberately slow upstream. */
async function fetchUser(id: string): Promise<{ id: string; name: string }> {
  upstreamCalls++;
  await sleep(150);
  return { id, name: `User ${id}` };
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await run();
  const ms = (performance.now() - started).toFixed(1).padStart(7);
  console.log(`${ms} ms  ${label.padEnd(44)} -> ${JSON.stringify(value)}`);
  return value;
}

async function main(): Promise<void> {
  const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 300, keyPrefix: 'demo' });
  const userKey = createCacheKey<{ id: string; name: string }>(
    'user',
    (id: string) => `user:${id}`,
  );

  console.log('glasswork demo (MemoryCacheStore)\n');
  await timed('wrap user:1 (miss, calls upstream)', () =>
    cache.wrap(userKey('1'), 600, () => fetchUser('1')),
  );
  await timed('wrap user:1 (hit)', () => cache.wrap(userKey('1'), 600, () => fetchUser('1')));

  const before = upstreamCalls;
  await timed('100 concurrent wraps of cold user:2', async () => {
    const users = await Promise.all(
      Array.from({ length: 100 }, () => cache.wrap(userKey('2'), () => fetchUser('2'))),
    );
    return `${users.length} results, ${upstreamCalls - before} upstream call`;
  });

  let version = 0;
  const fetchFlags = async () => {
    await sleep(100);
    return { version: ++version };
  };
  await timed('wrapSWR flags (miss)', () => cache.wrapSWR('flags', 0.2, 60, fetchFlags));
  await sleep(250);
  await timed('wrapSWR flags (stale: served, refreshing)', () =>
    cache.wrapSWR('flags', 0.2, 60, fetchFlags),
  );
  await cache.drain();
  await timed('wrapSWR flags (refreshed)', () => cache.wrapSWR('flags', 0.2, 60, fetchFlags));

  await timed('delByPattern user:*', () => cache.delByPattern('user:*'));
  await timed('get user:1 after invalidation', () => cache.get(userKey('1')));
  await timed('has flags', () => cache.has('flags'));

  console.log(`\nupstream calls: ${upstreamCalls} user fetches, ${version} flag fetches`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
