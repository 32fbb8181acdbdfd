/**
 * Calls of one key share by `shareKey(fullKey, 'stale' | '' | 'swr')`, but the load runs
 * under the full key: a wrap without staleIfError joins the load of a wrap with it (compute.ts
 * `context.flights.loading(fullKey)`). When that load is invalidated elsewhere while it
 * runs, compute.ts marks `plan.call.invalidated` on the joining call — but the joining
 * caller is the one that *started* that call, so CacheService#share (`joined` undefined)
 * returns the pre-invalidation value to it, though it started after invalidateTags()
 * resolved. docs/tags.md: "callers that joined it (not the one that started it) load again".
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

describe('a wrap joining the load of a wrap with other options', () => {
  it('does not get a value invalidated before it was called', async () => {
    const shared = new MemoryCacheStore();
    const other = new CacheService(shared, {
      defaultTTL: 60,
      keyPrefix: 'p',
      logger: silentLogger,
    });
    const cache = new CacheService(shared, {
      defaultTTL: 60,
      keyPrefix: 'p',
      logger: silentLogger,
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loaderStarted!: () => void;
    const started = new Promise<void>((r) => (loaderStarted = r));
    let version = 'old';
    const first = cache.wrap(
      'k',
      60,
      async () => {
        const seen = version;
        loaderStarted();
        await gate;
        return seen;
      },
      { tags: ['t'], staleIfError: 60 },
    );
    await started;
    version = 'new';
    expect(await other.invalidateTags(['t'])).toBe(true);
    const second = cache.wrap('k', 60, async () => version, { tags: ['t'] });
    release();
    expect(await first).toBe('old');
    expect(await second).toBe('new');
  });
});
