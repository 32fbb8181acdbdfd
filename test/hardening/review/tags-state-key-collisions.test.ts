/**
 * Tag versions and the generation live under `${keyPrefix}#glasswork:`. A service without
 * keyPrefix (or with keyPrefix 'shop#glasswork') could once write and delete the very same
 * store keys, so clear() and invalidateTags() of prefix 'shop' overwrote another prefix's
 * entries, and an ordinary entry of another service disabled caching for 'shop'. Fixed: no
 * key may contain "#glasswork:" and no prefix "#glasswork" (coded errors naming the limit).
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

function services() {
  const store = new MemoryCacheStore();
  const shop = new CacheService(store, { defaultTTL: 60, keyPrefix: 'shop', logger: silentLogger });
  const plain = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
  return { store, shop, plain };
}

const reservedKey = {
  code: 'E_INVALID_KEY',
  message: expect.stringContaining('must not contain "#glasswork:"'),
};

describe('state keys and keys of other prefixes', () => {
  it('a service without prefix cannot write the state keys of prefix shop', async () => {
    const { shop, plain } = services();
    await expect(plain.set('shop#glasswork:generation', 'kept')).rejects.toMatchObject(reservedKey);
    await expect(plain.get('shop#glasswork:generation')).rejects.toMatchObject(reservedKey);
    await expect(plain.getMany(['shop#glasswork:tag:x'])).rejects.toMatchObject({
      code: 'E_INVALID_KEY',
    });
    expect(await shop.clear()).toBe(true);
  });

  it("a prefix cannot hold '#glasswork' (it would reach another prefix's state)", () => {
    expect(
      () =>
        new CacheService(new MemoryCacheStore(), {
          defaultTTL: 60,
          keyPrefix: 'shop#glasswork',
          logger: silentLogger,
        }),
    ).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  it("an entry of another service does not stop prefix 'shop' from caching", async () => {
    const { shop } = services();
    let loads = 0;
    const load = async () => ++loads;
    await shop.wrap('page', 60, load);
    await shop.wrap('page', 60, load);
    expect(loads).toBe(1);
  });
});
