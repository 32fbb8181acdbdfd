/**
 * Tag versions and the generation live under `${keyPrefix}#glasswork:`, which docs/tags.md
 * says "no key you write and no pattern you delete reaches". That holds only inside one
 * prefix: a service without keyPrefix (or with keyPrefix 'shop#glasswork') writes and deletes
 * the very same store keys. So clear() and invalidateTags() of prefix 'shop' overwrite
 * another prefix's entries, and an ordinary entry of another service disables caching (or
 * invalidates everything) for 'shop'.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

function services() {
  const store = new MemoryCacheStore();
  const shop = new CacheService(store, { defaultTTL: 60, keyPrefix: 'shop', logger: silentLogger });
  const plain = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
  return { store, shop, plain };
}

describe('state keys and keys of other prefixes', () => {
  it("clear() on prefix 'shop' leaves an entry of a service without prefix intact", async () => {
    const { shop, plain } = services();
    await plain.set('shop#glasswork:generation', 'kept');
    expect(await shop.clear()).toBe(true);
    expect(await plain.get('shop#glasswork:generation')).toBe('kept');
  });

  it("invalidateTags on prefix 'shop' leaves an entry of prefix 'shop#glasswork' intact", async () => {
    const store = new MemoryCacheStore();
    const shop = new CacheService(store, {
      defaultTTL: 60,
      keyPrefix: 'shop',
      logger: silentLogger,
    });
    const other = new CacheService(store, {
      defaultTTL: 60,
      keyPrefix: 'shop#glasswork',
      logger: silentLogger,
    });
    await other.set('tag:catalog', 'kept');
    expect(await shop.invalidateTags(['catalog'])).toBe(true);
    expect(await other.get('tag:catalog')).toBe('kept');
  });

  it("an entry of another service does not stop prefix 'shop' from caching", async () => {
    const { shop, plain } = services();
    await plain.set('shop#glasswork:generation', 'any value', 3600);
    let loads = 0;
    const load = async () => ++loads;
    await shop.wrap('page', 60, load);
    await shop.wrap('page', 60, load);
    expect(loads).toBe(1);
  });
});
