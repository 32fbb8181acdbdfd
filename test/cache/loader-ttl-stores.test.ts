/**
 * setTTL reaches the server: Redis (`PTTL` of the key) and DynamoDB (dynalite: the
 * item's expiry attributes), against real servers.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheService, DynamoDBCacheStore, RedisCacheStore, silentLogger } from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `settl-${process.pid}-${Date.now()}`;

describe('setTTL on Redis', () => {
  const store = new RedisCacheStore({ url: REDIS_URL });
  const raw = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const cache = new CacheService(store, {
    defaultTTL: 600,
    keyPrefix: prefix,
    logger: silentLogger,
  });
  afterAll(async () => {
    await cache.delByPattern('*');
    await store.close();
    raw.disconnect();
  });

  it('stores the entry with the TTL the loader chose (PTTL)', async () => {
    await cache.wrap('token', 600, ({ setTTL }) => {
      setTTL(30);
      return { token: 't' };
    });
    const pttl = await raw.pttl(`${prefix}:token`);
    expect(pttl).toBeGreaterThan(29_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
  });

  it('wrapSWR: the entry lives for the new maxTTL', async () => {
    await cache.wrapSWR('flags', 10, 3600, ({ setTTL }) => {
      setTTL(120);
      return { on: true };
    });
    const pttl = await raw.pttl(`${prefix}:flags`);
    expect(pttl).toBeGreaterThan(119_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
  });
});

describe('setTTL on DynamoDB', () => {
  let local: LocalDynamoDB;
  let tableName: string;
  let cache: CacheService;
  let store: DynamoDBCacheStore;
  beforeAll(async () => {
    local = await startDynalite();
    tableName = await local.createTable('settl');
    store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint, region: 'eu-central-1' });
    cache = new CacheService(store, { defaultTTL: 600, logger: silentLogger });
  });
  afterAll(async () => {
    await store.close();
    await local.stop();
  });

  it('writes the expiry the loader chose', async () => {
    const before = Date.now();
    await cache.wrap('token', 600, ({ setTTL }) => {
      setTTL(45);
      return { token: 't' };
    });
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'token' } } }),
    );
    const expiresAtMs = Number(Item?.expiresAtMs?.N);
    expect(expiresAtMs).toBeGreaterThanOrEqual(before + 45_000);
    expect(expiresAtMs).toBeLessThanOrEqual(Date.now() + 45_000);
    expect(Number(Item?.expiresAt?.N)).toBe(Math.ceil(expiresAtMs / 1000));
  });
});
