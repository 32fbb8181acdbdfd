import { type CacheService, createCacheKey } from 'glasswork';
import type { DemoEnvironment } from './environment.js';
import { Timeline } from './timeline.js';
import { SlowUpstream } from './upstream.js';

const UPSTREAM_LATENCY_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The scripted walk through the cache. */
export async function runScenario(
  cache: CacheService,
  environment: DemoEnvironment,
): Promise<void> {
  const upstream = new SlowUpstream(UPSTREAM_LATENCY_MS);
  const timeline = new Timeline(cache, upstream);
  const userKey = createCacheKey<{ id: string; name: string }>(
    'user',
    (id: string) => `user:${id}`,
  );
  const catalogKey = createCacheKey<{ version: number; items: number }>('catalog', () => 'catalog');
  const user = (id: string) => cache.wrap(userKey(id), 600, () => upstream.fetchUser(id));
  const catalog = () => cache.wrapSWR(catalogKey, 1, 300, () => upstream.fetchCatalog());

  // Start clean: entries from an earlier run would turn the first misses into hits.
  await Promise.all([cache.delByPattern('user:*'), cache.del(catalogKey)]);

  timeline.section(`cache-aside (upstream takes ${UPSTREAM_LATENCY_MS} ms)`);
  await timeline.step('wrap user:42 (cold)', () => user('42'));
  await timeline.step('wrap user:42 (warm)', () => user('42'));
  await timeline.step(
    '100 concurrent wraps of cold user:7',
    async () => {
      const users = await Promise.all(Array.from({ length: 100 }, () => user('7')));
      return `${users.length} callers served`;
    },
    String,
  );

  timeline.section('stale-while-revalidate (fresh 1 s, served stale up to 300 s)');
  await timeline.step('wrapSWR catalog (cold)', catalog);
  await timeline.step('wrapSWR catalog (fresh)', catalog);
  await sleep(1100);
  await timeline.step('wrapSWR catalog (1.1 s later: stale, refresh starts)', catalog);
  await timeline.step(
    'drain() (the refresh finishes)',
    async () => {
      await cache.drain();
      return 'drained';
    },
    String,
  );
  await timeline.step('wrapSWR catalog (refreshed)', catalog);

  timeline.section('loaders that know their context');
  const tokenKey = createCacheKey<{ token: string; expiresIn: number }>('token', () => 'token');
  await cache.del(tokenKey);
  await timeline.step('wrap token (loader calls setTTL(expiresIn − 60))', () =>
    cache.wrap(tokenKey, 60, async ({ signal, setTTL }) => {
      const token = await upstream.fetchToken(signal);
      setTTL(token.expiresIn - 60);
      return token;
    }),
  );
  await timeline.step('has token (reads only the entry head)', () => cache.has(tokenKey), String);
  await timeline.step(
    'wrap a hung upstream (fnHardTimeoutMs: 200)',
    () =>
      cache
        .wrap('hung', 60, ({ signal }) => upstream.hang(signal), { fnHardTimeoutMs: 200 })
        .catch((error: Error) => `rejected: ${error.name}`),
    String,
  );

  timeline.section('invalidation');
  await timeline.step(
    "delByPattern('user:*')",
    () => cache.delByPattern('user:*'),
    (n) => `${n} removed`,
  );
  await timeline.step('get user:42', () => cache.get(userKey('42')));
  await timeline.step('wrap user:42 (reloaded)', () => user('42'));

  timeline.section('tags: one store write invalidates every entry carrying the tag');
  const product = (id: string) =>
    cache.wrap(`product:${id}`, 600, () => upstream.fetchUser(id), {
      tags: [`product:${id}`, 'catalog'],
    });
  await timeline.step('wrap product:1 (tags product:1, catalog)', () => product('1'));
  await timeline.step('wrap product:2 (tags product:2, catalog)', () => product('2'));
  await timeline.step('wrap product:2 (warm)', () => product('2'));
  await timeline.step(
    "invalidateTags(['product:1'])",
    () => cache.invalidateTags(['product:1']),
    String,
  );
  await timeline.step('has product:1', () => cache.has('product:1'), String);
  await timeline.step('wrap product:2 (other tag: still warm)', () => product('2'));
  await timeline.step(
    "invalidateTags(['catalog'])",
    () => cache.invalidateTags(['catalog']),
    String,
  );
  await timeline.step('wrap product:2 (reloaded)', () => product('2'));
  await timeline.step(
    'clear() (one write; waits out the 1 s generation check)',
    () => cache.clear(),
    String,
  );
  await timeline.step('wrap user:42 (cleared: reloaded)', () => user('42'));

  const { real } = await environment.outage();
  timeline.section(
    `store outage (${real ? 'the server is stopped' : 'simulated'}): the cache fails open`,
  );
  await timeline.step('get user:42', () => cache.get(userKey('42')));
  await timeline.step('wrap user:42 (served from upstream)', () => user('42'));
  await timeline.step('set user:99 (skipped, no error)', () =>
    cache.set(userKey('99'), { id: '99', name: 'User 99' }),
  );
  await timeline.step('wrapSWR catalog (served from upstream)', catalog);

  await environment.recover();
  timeline.section(real ? 'store back (restarted empty)' : 'store back');
  await timeline.step('wrap user:42 (after the outage)', () => user('42'));
  // A store that comes back empty has lost the generation too: the first write after it is
  // not trusted (its stamp predates the loss), the next one is.
  await timeline.step('wrap user:42 (loaded again, cached this time)', () => user('42'));
  await timeline.step('wrap user:42 (warm)', () => user('42'));
  timeline.summary();
}
