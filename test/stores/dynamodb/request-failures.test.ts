import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { CacheService, DynamoDBCacheStore, isCacheError, silentLogger } from 'glasswork';
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

/** An SDK-style service error: a name, a message that echoes request values, a status. */
function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name}: request for value "secret-payload" refused`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
  });
}

/** A store on a client whose every request fails with `error`. */
function failingStore(error: Error): DynamoDBCacheStore {
  const client = {
    send: async () => {
      throw error;
    },
  };
  return new DynamoDBCacheStore({ tableName: 'stubbed', client });
}

/** A loopback server for the test's lifetime, with every connection destroyed on close. */
async function listen(server: Server | ReturnType<typeof createServer>) {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('DynamoDBCacheStore failures are coded', () => {
  it.each([
    ['ThrottlingException', 'E_STORE_THROTTLED'],
    ['ProvisionedThroughputExceededException', 'E_STORE_THROTTLED'],
    ['RequestLimitExceeded', 'E_STORE_THROTTLED'],
    ['TimeoutError', 'E_STORE_TIMEOUT'],
    ['InternalServerError', 'E_STORE_UNAVAILABLE'],
    ['ResourceNotFoundException', 'E_STORE_UNAVAILABLE'],
  ])('%s becomes %s, with the SDK error as cause and no SDK message text', async (name, code) => {
    const cause = awsError(name, name === 'InternalServerError' ? 500 : 400);
    const store = failingStore(cause);
    for (const call of [
      () => store.get('user:1'),
      () => store.set('user:1', 'v', 60_000),
      () => store.setIfAbsent('user:1', 'v', 60_000),
      () => store.del('user:1'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isCacheError(error)).toBe(true);
      expect(error).toMatchObject({
        name: 'CacheStoreError',
        code,
        key: 'user:1',
        store: 'dynamodb',
      });
      expect((error as Error).cause).toBe(cause);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).not.toContain('secret-payload');
    }
    const scan = await store.delByPattern('user:*').catch((e: unknown) => e);
    expect(scan).toMatchObject({ code, store: 'dynamodb' });
  });

  it('names the HTTP status and the table, and the service emits the coded error', async () => {
    const store = failingStore(awsError('ThrottlingException'));
    const error = await store.get('k').catch((e: unknown) => e);
    expect((error as Error).message).toContain('HTTP 400');
    expect((error as Error).message).toContain('"stubbed"');
    const events: unknown[] = [];
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    cache.on('error', (event) => events.push(event.error));
    expect(await cache.get('k')).toBeUndefined();
    expect(events).toEqual([
      expect.objectContaining({ code: 'E_STORE_THROTTLED', key: 'k' }),
      // The service's generation is read beside the entry (see clear()).
      expect.objectContaining({ code: 'E_STORE_THROTTLED', key: '#glasswork:generation' }),
    ]);
  });

  it('says which table is missing and how to create it (dynalite)', async () => {
    const store = new DynamoDBCacheStore({ tableName: 'no-such-table', client: local.client });
    for (const call of [
      () => store.get('k'),
      () => store.set('k', 'v', 60_000),
      () => store.delByPattern('*'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_STORE_UNAVAILABLE', store: 'dynamodb' });
      expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException' });
      expect((error as Error).message).toContain('"no-such-table"');
      expect((error as Error).message).toContain('createCacheTable');
    }
  });

  it('codes a request timeout against a server that accepts and never answers', async () => {
    const server = await listen(createServer(() => undefined));
    const store = new DynamoDBCacheStore({
      tableName,
      endpoint: server.endpoint,
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    try {
      const error = await store.get('silent').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_STORE_TIMEOUT', key: 'silent', store: 'dynamodb' });
      expect(isCacheError(error)).toBe(true);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it('bounds the whole call, body included, when a server sends headers and then drips the body', async () => {
    const drips = new Set<NodeJS.Timeout>();
    const dripping = createHttpServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': 100,
      });
      let sent = 0;
      const drip = setInterval(() => {
        if (sent++ >= 60 || response.destroyed) {
          clearInterval(drip);
          drips.delete(drip);
          return;
        }
        response.write(' ');
      }, 100);
      drips.add(drip);
    });
    const server = await listen(dripping);
    const store = new DynamoDBCacheStore({
      tableName,
      endpoint: server.endpoint,
      maxAttempts: 2,
      requestTimeoutMs: 300,
    });
    try {
      const started = performance.now();
      const error = await store.get('dripped').catch((e: unknown) => e);
      const elapsedMs = performance.now() - started;
      expect(error).toMatchObject({ code: 'E_STORE_TIMEOUT', key: 'dripped', store: 'dynamodb' });
      expect((error as Error).message).toContain('600 ms');
      expect(elapsedMs).toBeGreaterThanOrEqual(550);
      expect(elapsedMs).toBeLessThan(1500);
    } finally {
      await store.close();
      for (const drip of drips) clearInterval(drip);
      await server.close();
    }
  }, 15_000);
});
