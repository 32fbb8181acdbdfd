/**
 * Keys are user data. The Redis store refuses keys that are not well-formed Unicode
 * (`E_INVALID_KEY`: lone surrogates cannot travel as UTF-8); the DynamoDB store sends them,
 * and distinct keys that differ only in a lone surrogate name the same item: one user's
 * cached value is served for another key (reproduced on dynalite, which the suite uses as
 * DynamoDB). The memory store keeps them apart.
 */
import { CacheService, DynamoDBCacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';

let local: LocalDynamoDB;
let tableName: string;
beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable('review-surrogates');
});
afterAll(async () => {
  await local?.stop();
});

describe('keys with lone surrogates', () => {
  it('memory store: distinct keys stay distinct (control)', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.set('profile:\ud800', { owner: 'alice' });
    expect(await cache.get('profile:\udc00')).toBeUndefined();
  });

  it("dynamodb store: a key never written never reads another key's value", async () => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    // Refused like Redis does (UTF-8 cannot hold lone surrogates).
    await expect(cache.set('profile:\ud800', { owner: 'alice' })).rejects.toMatchObject({
      code: 'E_INVALID_KEY',
    });
    // Either refused like Redis does, or a miss: never alice's entry.
    let read: unknown;
    try {
      read = await cache.get('profile:\udc00');
    } catch (error) {
      expect((error as { code?: string }).code).toBe('E_INVALID_KEY');
      return;
    }
    expect(read).toBeUndefined();
  });
});
