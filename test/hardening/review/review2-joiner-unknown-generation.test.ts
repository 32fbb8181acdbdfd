/**
 * docs/tags.md: "A load invalidated while it ran is not cached, and callers that joined it
 * (not the one that started it) load again." load-and-store.ts only checks a load's stamp
 * (and so only calls onInvalidated / markInvalidated) when the stamp has a generation:
 * `if (stamp.generation !== '' && !(await context.tags.check(stamp)))`. When the
 * generation read before the load failed or came back late (UNKNOWN → stamp generation ''),
 * the check is skipped, the load is never marked invalidated, and a caller that joined it
 * AFTER another instance's invalidateTags() resolved gets the value computed before it.
 */
import { CacheService, type CacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

function slowGenerationOnce(inner: MemoryCacheStore, delayMs: number): CacheStore {
  let slowed = false;
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'get') {
        return async (key: string) => {
          if (key === 'p#glasswork:generation' && !slowed) {
            slowed = true;
            await new Promise((r) => setTimeout(r, delayMs));
          }
          return target.get(key);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CacheStore;
}

describe('a joiner of a load whose generation read was late', () => {
  it('does not get a value computed before an invalidation that finished before it joined', async () => {
    const shared = new MemoryCacheStore();
    const other = new CacheService(shared, {
      defaultTTL: 60,
      keyPrefix: 'p',
      logger: silentLogger,
    });
    // Make the generation and the tag version exist first.
    await other.set('seed', 1, { tags: ['t'] });
    const cache = new CacheService(slowGenerationOnce(shared, 1_100), {
      defaultTTL: 60,
      keyPrefix: 'p',
      logger: silentLogger,
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let loaderStarted!: () => void;
    const started = new Promise<void>((r) => (loaderStarted = r));
    let version = 'old';
    const originator = cache.wrap(
      'k',
      60,
      async () => {
        const seen = version;
        loaderStarted();
        await gate;
        return seen;
      },
      { tags: ['t'] },
    );
    await started;
    version = 'new';
    expect(await other.invalidateTags(['t'])).toBe(true);
    // Starts after the invalidation resolved: must not get 'old'.
    const joiner = cache.wrap('k', 60, async () => version, { tags: ['t'] });
    release();
    expect(await originator).toBe('old');
    expect(await joiner).toBe('new');
  });
});
