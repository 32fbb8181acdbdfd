import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
});
afterAll(async () => {
  await local?.stop();
});

describe('DynamoDBCacheStore: the TTL attribute is authoritative', () => {
  const storeFor = () => new DynamoDBCacheStore({ tableName, client: local.client });

  /** Sets `expiresAt` alone, as an operator or another writer may; `expiresAtMs` stays ahead. */
  async function expireByTtlAttribute(key: string, expiresAtSec: number): Promise<void> {
    await local.client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: key } },
        UpdateExpression: 'SET expiresAt = :sec',
        ExpressionAttributeValues: { ':sec': { N: String(expiresAtSec) } },
      }),
    );
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } } }),
    );
    expect(Number(Item?.expiresAtMs?.N)).toBeGreaterThan(Date.now() + 30_000);
  }
  const pastSec = () => Math.floor(Date.now() / 1000) - 60;

  it('get, has, del and delIfEquals treat the item as gone; setIfAbsent takes the key', async () => {
    const store = storeFor();
    await store.set('ttl:a', 'v1', 300_000);
    await expireByTtlAttribute('ttl:a', pastSec());
    expect(await store.get('ttl:a')).toBeUndefined();
    expect(await store.has('ttl:a')).toBe(false);
    expect(await store.del('ttl:a')).toBe(false);
    expect(await store.delIfEquals('ttl:a', 'v1')).toBe(false);
    expect(await store.setIfAbsent('ttl:a', 'v2', 300_000)).toBe(true);
    expect(await store.get('ttl:a')).toBe('v2');
    expect(await store.setIfAbsent('ttl:a', 'v3', 300_000)).toBe(false);

    const cache = new CacheService(store, { defaultTTL: 300, logger: silentLogger });
    await cache.set('ttl:b', 'cached');
    await expireByTtlAttribute('ttl:b', pastSec());
    expect(await cache.get('ttl:b')).toBeUndefined();
    expect(await cache.wrap('ttl:b', () => 'fresh')).toBe('fresh');
  });

  it('honours an expiresAt just past, to the second, and a fractional one', async () => {
    const store = storeFor();
    await store.set('ttl:edge', 'v', 300_000);
    await expireByTtlAttribute('ttl:edge', Math.floor(Date.now() / 1000));
    expect(await store.get('ttl:edge')).toBeUndefined();
    expect(await store.setIfAbsent('ttl:edge', 'w', 300_000)).toBe(true);
    await expireByTtlAttribute('ttl:edge', Date.now() / 1000 - 0.5);
    expect(await store.has('ttl:edge')).toBe(false);
    expect(await store.setIfAbsent('ttl:edge', 'x', 300_000)).toBe(true);
  });

  it('delByPattern neither counts nor needs items expired by expiresAt alone', async () => {
    const store = storeFor();
    await store.set('ttlscan:live', 'v', 300_000);
    await store.set('ttlscan:gone', 'v', 300_000);
    await expireByTtlAttribute('ttlscan:gone', pastSec());
    expect(await store.delByPattern('ttlscan:*')).toBe(1);
    expect(await store.has('ttlscan:live')).toBe(false);
  });
});
