/**
 * The "Module registration" example of the cache specification, run end to end.
 * The module is in fixtures/spec-app-module.ts; only its store expression differs from the spec.
 */
import { bootstrap, CacheService, type CacheStore, createCacheKey } from 'glasswork';
import { describe, expect, it } from 'vitest';
import { AppModule } from './fixtures/spec-app-module.js';

describe('spec: Module registration', () => {
  it('bootstraps and resolves a working CacheService', async () => {
    const app = await bootstrap(AppModule);
    await app.start();
    try {
      const cache = app.container.resolve(CacheService);
      expect(cache).toBeInstanceOf(CacheService);
      expect(app.container.resolve(CacheService)).toBe(cache);

      const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);
      await cache.set(userKey('123'), { id: '123' });
      expect(await cache.get(userKey('123'))).toEqual({ id: '123' });

      // The service writes through the registered store, under the module's key prefix.
      const store = app.container.resolve<CacheStore>('cacheStore');
      expect(cache.store).toBe(store);
      expect(await store.has?.('app:user:123')).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('exports CacheService and keeps the store private to the module', () => {
    expect(AppModule.name).toBe('app');
    expect(AppModule.exports).toEqual(['cacheService']);
    expect(AppModule.providers.map((provider) => provider.name)).toEqual([
      'cacheStore',
      'cacheService',
    ]);
  });
});
