import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { DynamoDBCacheStore } from 'glasswork';
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

describe('DynamoDBCacheStore.connect', () => {
  it('loads the SDK and creates the client without a request', async () => {
    // Nothing listens on this port: connect() must not send anything.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const store = new DynamoDBCacheStore({ tableName, endpoint: `http://127.0.0.1:${port}` });
    await expect(store.connect()).resolves.toBeUndefined();
    await store.close();
  });

  it('with checkTable, reads the table once; the store then works on the same client', async () => {
    const store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint, maxAttempts: 1 });
    await Promise.all([store.connect({ checkTable: true }), store.connect({ checkTable: true })]);
    await store.set('connect:k', 'v', 10_000);
    expect(await store.get('connect:k')).toBe('v');
    expect(await store.get('glasswork:connect')).toBeUndefined();
    await store.close();
  });

  it('with checkTable, rejects when the table does not exist', async () => {
    const store = new DynamoDBCacheStore({
      tableName: 'no-such-table',
      endpoint: local.endpoint,
      maxAttempts: 1,
    });
    const error = await store.connect({ checkTable: true }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'CacheStoreError',
      code: 'E_STORE_UNAVAILABLE',
      store: 'dynamodb',
      message:
        'DynamoDB table "no-such-table" does not exist (in this region, for these credentials)',
    });
    await store.close();
  });

  it('with checkTable, rejects when the endpoint does not answer', async () => {
    const store = new DynamoDBCacheStore({
      tableName,
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
      requestTimeoutMs: 500,
    });
    const error = await store.connect({ checkTable: true }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_STORE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/^DynamoDB table "cache-.*" could not be read: /);
    await store.close();
  });

  it('rejects after close()', async () => {
    const store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint });
    await store.close();
    await expect(store.connect()).rejects.toMatchObject({ code: 'E_STORE_CLOSED' });
  });
});
