import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheService, createCacheTable, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';
import { realisticJson, realisticRecords } from '../../helpers/realistic-json.js';
import { recordingLogger } from '../../helpers/recording-logger.js';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
});
afterAll(async () => {
  await local?.stop();
});

runStoreConformance('DynamoDBCacheStore', {
  createStore: () => new DynamoDBCacheStore({ tableName, endpoint: local.endpoint }),
  clock: 'fake',
});

describe('DynamoDBCacheStore', () => {
  const storeFor = () => new DynamoDBCacheStore({ tableName, client: local.client });
  const rawItem = async (key: string) =>
    (await local.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } } })))
      .Item;

  it('reads and fences on the head attribute, without the (compressed) payload', async () => {
    const store = storeFor();
    const big = `gw1:abc:def:${'x'.repeat(50_000)}`;
    await store.set('head:big', big, 60_000);
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'head:big' } } }),
    );
    expect(Item?.value?.B).toBeDefined(); // compressed
    expect(Item?.head?.S).toBe(big.slice(0, 40));
    expect(await store.getHead('head:big', 12)).toBe('gw1:abc:def:');
    expect(await store.setIfHead('head:big', 'gw1:abc:xyz:', 'gw1:new', 60_000)).toBe(false);
    expect(await store.setIfHead('head:big', 'gw1:abc:def:', 'gw1:new', 60_000)).toBe(true);
    expect(await store.get('head:big')).toBe('gw1:new');
    expect(await store.setIfHead('head:absent', 'gw1:', 'gw1:x', 60_000)).toBe(false);
  });

  it('falls back to the payload for items written without a head attribute', async () => {
    const store = storeFor();
    const expiresAtMs = Date.now() + 60_000;
    await local.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'head:legacy' },
          value: { S: 'gw1:old:ttl:payload' },
          expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
          expiresAtMs: { N: String(expiresAtMs) },
        },
      }),
    );
    expect(await store.getHead('head:legacy', 12)).toBe('gw1:old:ttl:');
    expect(await store.setIfHead('head:legacy', 'gw1:old:ttl:', 'gw1:new', 60_000)).toBe(true);
    expect(await store.get('head:legacy')).toBe('gw1:new');
  });

  it('stores expiresAt in epoch seconds rounded up, and the expiry in ms beside it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_250 });
    try {
      await storeFor().set('expiry:sec', 'v', 1500);
      const item = await rawItem('expiry:sec');
      expect(item?.expiresAt).toEqual({ N: '1800000002' }); // 1_800_000_001.75 s, rounded up
      expect(item?.expiresAtMs).toEqual({ N: '1800000001750' });
      expect(item?.value).toEqual({ S: 'v' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('misses an item past its expiry that DynamoDB still holds: get, has, del and wrap', async () => {
    const pastMs = Date.now() - 60_000;
    const write = (key: string) =>
      local.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: key },
            expiresAt: { N: String(Math.ceil(pastMs / 1000)) },
            expiresAtMs: { N: String(pastMs) },
            value: { S: 'gw1:0:0:"stale"' },
          },
        }),
      );
    const store = storeFor();
    await write('lazy:1');
    expect(await store.get('lazy:1')).toBeUndefined();
    expect(await store.has('lazy:1')).toBe(false);
    expect(await store.del('lazy:1')).toBe(false);
    expect(await rawItem('lazy:1')).toBeDefined(); // left for TTL

    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    await write('lazy:2');
    expect(await cache.get('lazy:2')).toBeUndefined();
    expect(await cache.has('lazy:2')).toBe(false);
    expect(await cache.wrap('lazy:2', () => 'fresh')).toBe('fresh');
    expect(await cache.get('lazy:2')).toBe('fresh');
  });

  it('checks the TTL attribute when an item has no millisecond expiry', async () => {
    await local.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'sec-only' }, expiresAt: { N: '1000' }, value: { S: 'old' } },
      }),
    );
    const store = storeFor();
    expect(await store.get('sec-only')).toBeUndefined();
    expect(await store.del('sec-only')).toBe(false);
    expect(await store.setIfAbsent('sec-only', 'new', 60_000)).toBe(true);
    const future = Math.ceil(Date.now() / 1000) + 60;
    await local.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'sec-only' }, expiresAt: { N: String(future) }, value: { S: 'live' } },
      }),
    );
    expect(await store.get('sec-only')).toBe('live');
    expect(await store.setIfAbsent('sec-only', 'other', 60_000)).toBe(false);
    expect(await store.del('sec-only')).toBe(true);
  });

  it('round-trips a 1 MB+ JSON value through CacheService, compressed into one item', async () => {
    const cache = new CacheService(storeFor(), { defaultTTL: 60, keyPrefix: 'big' });
    const value = realisticRecords(1_200_000);
    await cache.set('orders', value);
    expect(await cache.get('orders')).toEqual(value);
    const item = await rawItem('big:orders');
    expect(item?.value?.B?.[0]).toBe(1); // the brotli format marker
    expect(item?.value?.B?.byteLength).toBeLessThan(400 * 1024);
  });

  it('fits a 3 MB JSON value in the 400 KB item', async () => {
    const payload = realisticJson(3_000_000);
    const store = storeFor();
    await store.set('json:3mb', payload, 60_000);
    expect(await store.get('json:3mb')).toBe(payload);
  });

  it('compresses only above compressAboveBytes, and only when that makes the payload smaller', async () => {
    const store = storeFor();
    await store.set('small', '{"a":1}', 60_000);
    expect((await rawItem('small'))?.value).toEqual({ S: '{"a":1}' });
    const text = realisticJson(2000);
    await store.set('text', text, 60_000);
    expect((await rawItem('text'))?.value?.B?.byteLength).toBeLessThan(text.length / 2);
    const eager = new DynamoDBCacheStore({
      tableName,
      client: local.client,
      compressAboveBytes: 0,
    });
    await eager.set('tiny', 'ab', 60_000); // brotli would make it longer
    expect((await rawItem('tiny'))?.value).toEqual({ S: 'ab' });
    const never = new DynamoDBCacheStore({
      tableName,
      client: local.client,
      compressAboveBytes: Number.POSITIVE_INFINITY,
    });
    await never.set('text', text, 60_000);
    expect((await rawItem('text'))?.value).toEqual({ S: text });
    expect(await never.get('text')).toBe(text);
  });

  it('delIfEquals compares a compressed payload, however it was written', async () => {
    const store = storeFor();
    const text = realisticJson(2000);
    await store.set('compared', text, 60_000);
    expect((await rawItem('compared'))?.value?.B).toBeDefined();
    expect(await store.delIfEquals('compared', `${text} `)).toBe(false);
    expect(await store.delIfEquals('compared', text)).toBe(true);
    expect(await store.has('compared')).toBe(false);
    // Written uncompressed by a store with other settings: compared decoded.
    const plain = new DynamoDBCacheStore({
      tableName,
      client: local.client,
      compressAboveBytes: Number.POSITIVE_INFINITY,
    });
    await plain.set('compared', text, 60_000);
    expect((await rawItem('compared'))?.value?.S).toBe(text);
    expect(await store.delIfEquals('compared', `${text} `)).toBe(false);
    expect(await store.delIfEquals('compared', text)).toBe(true);
    expect(await store.has('compared')).toBe(false);
  });

  it('refuses a 600 KB incompressible value: set rejects, wrap logs and returns it', async () => {
    const logger = recordingLogger();
    const cache = new CacheService(storeFor(), { defaultTTL: 60, logger });
    const value = randomBytes(450 * 1024).toString('base64'); // 600 KB of JSON string
    const error = await cache.set('huge', value).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_VALUE_TOO_LARGE',
      key: 'huge',
      store: 'dynamodb',
      limit: 409_600,
      size: expect.any(Number),
    });
    const { size } = error as { size: number };
    expect(size).toBeGreaterThan(409_600);
    expect((error as Error).message).toContain('"huge"');
    expect((error as Error).message).toContain(`${size} bytes`);
    expect((error as Error).message).toContain('409600');

    expect(await cache.wrap('huge', () => value)).toBe(value);
    expect(
      logger.lines.some((l) => l.level === 'error' && /E_VALUE_TOO_LARGE|409600/.test(l.message)),
    ).toBe(true);
    expect(await cache.get('huge')).toBeUndefined();
  });

  it('refuses keys over 2048 UTF-8 bytes with E_KEY_TOO_LONG, and never finds them', async () => {
    const store = storeFor();
    const long = 'é'.repeat(1025); // 2050 bytes
    await expect(store.set(long, 'v', 60_000)).rejects.toMatchObject({
      code: 'E_KEY_TOO_LONG',
      size: 2050,
      limit: 2048,
    });
    await expect(store.setIfAbsent(long, 'v', 60_000)).rejects.toMatchObject({
      code: 'E_KEY_TOO_LONG',
    });
    expect(await store.get(long)).toBeUndefined();
    expect(await store.has(long)).toBe(false);
    expect(await store.del(long)).toBe(false);
    const fits = 'k'.repeat(2048);
    await store.set(fits, 'v', 60_000);
    expect(await store.get(fits)).toBe('v');
  });

  it('reads with ConsistentRead by default and honours consistentRead: false', async () => {
    const sent: unknown[] = [];
    const spy = vi.spyOn(local.client, 'send').mockImplementation(async (command) => {
      sent.push(command.input);
      return {};
    });
    try {
      await storeFor().get('c');
      await new DynamoDBCacheStore({ tableName, client: local.client, consistentRead: false }).has(
        'c',
      );
    } finally {
      spy.mockRestore();
    }
    expect(sent[0]).toMatchObject({ ConsistentRead: true });
    expect(sent[1]).toMatchObject({ ConsistentRead: false, ProjectionExpression: '#ms, #ttl' });
  });

  it('uses configured attribute names, with a table created for them', async () => {
    const custom = `custom-${Date.now()}`;
    await createCacheTable({ client: local.client, tableName: custom, keyAttribute: 'id' });
    const store = new DynamoDBCacheStore({
      tableName: custom,
      client: local.client,
      keyAttribute: 'id',
      ttlAttribute: 'ttl',
      expiresAtMsAttribute: 'exp_ms',
      valueAttribute: 'v',
    });
    await store.set('k', 'payload', 60_000);
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: custom, Key: { id: { S: 'k' } } }),
    );
    expect(Object.keys(Item ?? {}).sort()).toEqual(['exp_ms', 'head', 'id', 'ttl', 'v']);
    expect(await store.get('k')).toBe('payload');
    expect(await store.has('k')).toBe(true);
    expect(await store.setIfAbsent('k', 'other', 60_000)).toBe(false);
    expect(await store.delByPattern('*')).toBe(1);
    expect(await store.del('k')).toBe(false);
  });

  it('treats a payload it cannot decode as a store failure, which the service turns into a miss', async () => {
    await local.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'foreign' },
          expiresAtMs: { N: String(Date.now() + 60_000) },
          value: { B: Uint8Array.from([9, 9, 9]) },
        },
      }),
    );
    await expect(storeFor().get('foreign')).rejects.toMatchObject({ code: 'E_DESERIALIZE' });
    const logger = recordingLogger();
    const cache = new CacheService(storeFor(), { defaultTTL: 60, logger });
    expect(await cache.get('foreign')).toBeUndefined();
    expect(logger.text()).toContain('foreign');
  });

  it('fails open through the service when the endpoint is dead, within its bounds', async () => {
    const store = new DynamoDBCacheStore({
      tableName,
      endpoint: 'http://127.0.0.1:9', // discard port: nothing listens
      maxAttempts: 2,
      requestTimeoutMs: 200,
    });
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const started = Date.now();
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.wrap('k', () => 'computed')).toBe('computed');
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
  });

  it('gives up on an endpoint that accepts connections but never answers, within maxAttempts × requestTimeoutMs', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const store = new DynamoDBCacheStore({
      tableName,
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      maxAttempts: 2,
      requestTimeoutMs: 250,
    });
    try {
      const started = Date.now();
      await expect(store.get('k')).rejects.toThrow();
      const elapsedMs = Date.now() - started;
      expect(elapsedMs).toBeGreaterThanOrEqual(400);
      expect(elapsedMs).toBeLessThan(2500);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
