/**
 * The "Module registration" example of the cache specification, verbatim
 * (fixtures/spec-app-module.ts), run end to end on DynamoDB (dynalite), configured the way
 * a Lambda is: through CACHE_TABLE, AWS_REGION and the SDK's AWS_ENDPOINT_URL_DYNAMODB.
 */
import { bootstrap, CacheService, type CacheStore, createCacheKey } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppModule } from '../fixtures/spec-app-module.js';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';

describe('spec: Module registration', () => {
  let local: LocalDynamoDB;
  beforeAll(async () => {
    local = await startDynalite();
    vi.stubEnv('CACHE_TABLE', await local.createTable('spec-module'));
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await local.stop();
  });

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
      expect(store.name).toBe('dynamodb');
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
