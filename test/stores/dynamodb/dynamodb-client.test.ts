import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { CacheDependencyError, CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDynamoDBSdk } from '../../../src/stores/dynamodb/sdk.js';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';

/** Every client the SDK module built in this file, with its config, and destroyed ones. */
const built = vi.hoisted(() => ({
  configs: [] as unknown[],
  destroyed: 0,
}));

vi.mock('@aws-sdk/client-dynamodb', async (importOriginal) => {
  const original = await importOriginal<typeof import('@aws-sdk/client-dynamodb')>();
  class CountedClient extends original.DynamoDBClient {
    constructor(config: DynamoDBClientConfig) {
      super(config);
      built.configs.push(config);
    }
    override destroy(): void {
      built.destroyed++;
      super.destroy();
    }
  }
  return { ...original, DynamoDBClient: CountedClient };
});

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
});
afterAll(async () => {
  await local?.stop();
});
beforeEach(() => {
  built.configs.length = 0;
  built.destroyed = 0;
});

describe('DynamoDBCacheStore client', () => {
  it('creates nothing at construction, then one client for concurrent first calls', async () => {
    const store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint });
    expect(built.configs).toHaveLength(0);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`first:${i}`, 'v', 60_000)));
    expect(await Promise.all([store.get('first:0'), store.has('first:1')])).toEqual(['v', true]);
    expect(built.configs).toHaveLength(1);
    await store.close();
    expect(built.destroyed).toBe(1);
  });

  it('leaves region and endpoint to the SDK chain when omitted, and bounds retries and time', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
    try {
      const store = new DynamoDBCacheStore({ tableName });
      await store.set('from-env', 'v', 60_000);
      expect(await store.get('from-env')).toBe('v');
      await store.close();
    } finally {
      vi.unstubAllEnvs();
    }
    const config = built.configs[0] as Record<string, unknown>;
    expect(config).not.toHaveProperty('region');
    expect(config).not.toHaveProperty('endpoint');
    expect(config).toMatchObject({
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: 1000,
        requestTimeout: 1000,
        throwOnRequestTimeout: true,
      },
    });
  });

  it('passes region, endpoint, maxAttempts and requestTimeoutMs when given', async () => {
    const store = new DynamoDBCacheStore({
      tableName,
      region: 'eu-west-3',
      endpoint: local.endpoint,
      maxAttempts: 5,
      requestTimeoutMs: 300,
    });
    await store.get('k');
    await store.close();
    expect(built.configs[0]).toMatchObject({
      region: 'eu-west-3',
      endpoint: local.endpoint,
      maxAttempts: 5,
      requestHandler: { requestTimeout: 300 },
    });
  });

  it('leaves an injected client open on close() and onModuleDestroy()', async () => {
    const destroy = vi.spyOn(local.client, 'destroy');
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    await store.set('injected', 'v', 60_000);
    await store.close();
    await store.onModuleDestroy();
    expect(destroy).not.toHaveBeenCalled();
    expect(built.configs).toHaveLength(0);
    destroy.mockRestore();
  });

  it('refuses calls after close(), which the service turns into misses', async () => {
    const store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint });
    await store.set('closing', 'v', 60_000);
    await store.onModuleDestroy();
    expect(built.destroyed).toBe(1);
    await expect(store.get('closing')).rejects.toMatchObject({ code: 'E_STORE_CLOSED' });
    await expect(store.delByPattern('*')).rejects.toMatchObject({ code: 'E_STORE_CLOSED' });
    const cache = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    expect(await cache.get('closing')).toBeUndefined();
    await store.close(); // idempotent
    expect(built.destroyed).toBe(1);
  });

  it('destroys a client still being created when close() comes first', async () => {
    const store = new DynamoDBCacheStore({ tableName, endpoint: local.endpoint });
    const pending = store.get('k');
    await store.close();
    await pending.catch(() => undefined);
    expect(built.configs).toHaveLength(1);
    expect(built.destroyed).toBe(1);
  });
});

describe('DynamoDBCacheStore dependency and options', () => {
  it('says which package to install when the SDK cannot be loaded', async () => {
    const cause = Object.assign(new Error("Cannot find package '@aws-sdk/client-dynamodb'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadDynamoDBSdk(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheDependencyError);
    expect(error).toMatchObject({ code: 'E_MISSING_DEPENDENCY', store: 'dynamodb', cause });
    expect((error as Error).message).toContain('npm install @aws-sdk/client-dynamodb');
  });

  it.each([
    [undefined, 'options'],
    [{}, 'tableName'],
    [{ tableName: '' }, 'tableName'],
    [{ tableName: 't', region: '' }, 'region'],
    [{ tableName: 't', endpoint: 'not a url' }, 'endpoint'],
    [{ tableName: 't', consistentRead: 'yes' }, 'consistentRead'],
    [{ tableName: 't', keyAttribute: '' }, 'keyAttribute'],
    [{ tableName: 't', valueAttribute: 'pk' }, 'attribute names'],
    [{ tableName: 't', compressAboveBytes: -1 }, 'compressAboveBytes'],
    [{ tableName: 't', compressAboveBytes: 1.5 }, 'compressAboveBytes'],
    [{ tableName: 't', scanSegments: 0 }, 'scanSegments'],
    [{ tableName: 't', maxAttempts: 0 }, 'maxAttempts'],
    [{ tableName: 't', requestTimeoutMs: Number.NaN }, 'requestTimeoutMs'],
    [{ tableName: 't', client: {} }, 'client'],
    [{ tableName: 't', client: { send() {} }, region: 'eu-west-1' }, 'region'],
    [{ tableName: 't', client: { send() {} }, maxAttempts: 2 }, 'maxAttempts'],
  ])('refuses bad options at construction: %j', (options, named) => {
    expect(() => new DynamoDBCacheStore(options as never)).toThrow(
      expect.objectContaining({
        code: 'E_INVALID_OPTION',
        message: expect.stringContaining(named),
      }),
    );
  });

  it('accepts the spec defaults with nothing but a table name', () => {
    expect(new DynamoDBCacheStore({ tableName: 'my-cache' }).name).toBe('dynamodb');
    const client = { send: async () => ({}) } as unknown as DynamoDBClient;
    expect(() => new DynamoDBCacheStore({ tableName: 'my-cache', client })).not.toThrow();
  });
});
