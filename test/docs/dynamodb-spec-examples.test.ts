/**
 * The specification's DynamoDB examples on dynalite, configured the way a deployment is:
 * through the AWS SDK's environment (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_REGION`, credentials).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createCacheTable } from 'glasswork';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';

let local: LocalDynamoDB;

beforeAll(async () => {
  local = await startDynalite({ createTableMs: 300 });
  await createCacheTable({ client: local.client, tableName: 'my-cache' });
});
afterAll(async () => {
  await local?.stop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('spec: Core API on DynamoDBCacheStore', () => {
  it('runs with the endpoint from AWS_ENDPOINT_URL_DYNAMODB', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
    vi.stubEnv('CACHE_TABLE', 'my-cache');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const { CacheService, DynamoDBCacheStore, createCacheKey } = await import('glasswork');
    const fetchUser = vi.fn(async (id: string) => ({ id }));
    const fetchFlags = vi.fn(async () => ({ newCheckout: true }));

    const store = new DynamoDBCacheStore({
      tableName: process.env.CACHE_TABLE!,
      region: process.env.AWS_REGION,
    });

    const cache = new CacheService(store, {
      defaultTTL: 300, // seconds
      keyPrefix: 'myapp', // optional namespace
    });

    const userKey = createCacheKey<{ id: string }>('user', (id: string) => `user:${id}`);

    // Basic set/get
    await cache.set(userKey('123'), { id: '123' }); // TTL defaults to 300
    const user = await cache.get(userKey('123')); // -> { id: '123' } | undefined

    // Cache-aside
    const profile = await cache.wrap(userKey('123'), 600, () => fetchUser('123'));

    // Stale-while-revalidate
    const flags = await cache.wrapSWR('feature-flags', 60, 300, fetchFlags);

    expect(user).toEqual({ id: '123' });
    expect(profile).toEqual({ id: '123' });
    expect(fetchUser).not.toHaveBeenCalled();
    expect(flags).toEqual({ newCheckout: true });
    expect(await cache.has('feature-flags')).toBe(true);
    expect(await cache.delByPattern('user:*')).toBe(1);
    expect(await cache.del('feature-flags')).toBe(true);
    await store.close();
  });
});

describe('spec: Stores / DynamoDB', () => {
  it.each([
    ['LOCALSTACK_ENDPOINT set', true],
    ['LOCALSTACK_ENDPOINT unset, AWS_ENDPOINT_URL_DYNAMODB set', false],
  ])('runs verbatim with %s', async (_, explicit) => {
    if (explicit) vi.stubEnv('LOCALSTACK_ENDPOINT', local.endpoint);
    else {
      vi.stubEnv('LOCALSTACK_ENDPOINT', undefined);
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
    }
    const { CacheService, DynamoDBCacheStore } = await import('glasswork');

    const store = new DynamoDBCacheStore({
      tableName: 'my-cache',
      region: 'eu-central-1',
      endpoint: process.env.LOCALSTACK_ENDPOINT, // optional
    });

    const cache = new CacheService(store, { defaultTTL: 60 });
    expect(await cache.wrap('k', () => ({ explicit }))).toEqual({ explicit });
    expect(await cache.get('k')).toEqual({ explicit });
    await cache.del('k');
    await store.close();
  });
});

describe('createCacheTable', () => {
  it('creates the spec schema, waits for ACTIVE, and tolerates an endpoint without TTL support', async () => {
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'my-cache' }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    expect(await createCacheTable({ client: local.client, tableName: 'my-cache' })).toEqual({
      created: false,
      ttlEnabled: false, // dynalite has no UpdateTimeToLive
    });
  });

  it('is a CLI for local development', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const args = [
      'scripts/create-cache-table.ts',
      '--table',
      'cli-cache',
      '--endpoint',
      local.endpoint,
    ];
    const { stdout } = await promisify(execFile)(tsx, args, { cwd: root, timeout: 30_000 });
    expect(stdout).toContain('table "cli-cache" created');
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'cli-cache' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });
});
