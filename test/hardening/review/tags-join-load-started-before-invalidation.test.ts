/**
 * Calls for one key share the load in flight (Flights.share). invalidateTags() detaches the
 * loads it invalidates only in the instance that called it (flights.detach); another
 * instance's load that started before the invalidation keeps taking new callers, and a
 * wrap() made there after invalidateTags() resolved returns the pre-invalidation value.
 *
 * The same join also ignores the joiner's tags in one instance: a call tagged 't' made after
 * invalidateTags(['t']) joins an untagged load (or a wrapMany load) of the key started
 * before it, since detach only looks at the tags of the call that started the load.
 *
 * Fixed across instances: a load checks its stamp before writing; when it was invalidated,
 * callers that joined its call (rather than started it) load again. Not fixed, documented
 * (docs/tags.md): a tagged call joining an untagged load of the same key in one instance gets
 * that load's value, which carries no tag to invalidate. Expected to fail.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('a load that started before an invalidation', () => {
  it('is not joined in another instance by a call made after invalidateTags() resolved', async () => {
    const store = new MemoryCacheStore();
    const a = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const b = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const { open, opened } = gate();
    let started!: () => void;
    const loaderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = b.wrap(
      'price',
      60,
      async () => {
        started();
        await opened;
        return 'before';
      },
      { tags: ['prices'] },
    );
    await loaderStarted;
    expect(await a.invalidateTags(['prices'])).toBe(true);
    const after = b.wrap('price', 60, async () => 'after', { tags: ['prices'] });
    open();
    expect(await first).toBe('before'); // allowed: it was waiting before the invalidation
    expect(await after).toBe('after');
  });

  it('is not joined in another instance by a call made after clear() resolved', async () => {
    const store = new MemoryCacheStore();
    const a = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });
    const b = new CacheService(store, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });
    const { open, opened } = gate();
    let started!: () => void;
    const loaderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = b.wrap('price', 60, async () => {
      started();
      await opened;
      return 'before';
    });
    await loaderStarted;
    expect(await a.clear()).toBe(true);
    const after = b.wrap('price', 60, async () => 'after');
    open();
    await first;
    expect(await after).toBe('after');
  });

  it.fails('is not joined in the same instance by a call tagged with the invalidated tag', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    const { open, opened } = gate();
    const first = cache.wrap('price', 60, async () => {
      await opened;
      return 'before';
    });
    await Promise.resolve();
    expect(await cache.invalidateTags(['prices'])).toBe(true);
    const after = cache.wrap('price', 60, async () => 'after', { tags: ['prices'] });
    open();
    await first;
    expect(await after).toBe('after');
  });
});
