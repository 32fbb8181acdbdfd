import { randomBytes } from 'node:crypto';
import * as sdk from '@aws-sdk/client-dynamodb';
import { CacheService, DynamoDBCacheStore, type DynamoDBCacheStore as Store } from 'glasswork';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type BatchRetryPolicy,
  type PatternDeleteContext,
  writeBatch,
} from '../../../src/stores/dynamodb/delete-by-pattern.js';
import { requester } from '../../../src/stores/dynamodb/request.js';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';

let local: LocalDynamoDB;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Records the kind and input of every command the shared client sends, passing them on. */
function recordCommands(): { kinds: string[]; inputs: Record<string, unknown>[] } {
  const kinds: string[] = [];
  const inputs: Record<string, unknown>[] = [];
  const send = local.client.send.bind(local.client) as (command: unknown) => Promise<unknown>;
  const record = (command: { input: Record<string, unknown> }) => {
    kinds.push(command.constructor.name);
    inputs.push(command.input);
    return send(command);
  };
  vi.spyOn(local.client, 'send').mockImplementation(record as unknown as typeof local.client.send);
  return { kinds, inputs };
}

describe('DynamoDBCacheStore.delByPattern on dynalite', () => {
  /** 4.8 MB of items (five Scan pages at least): 40 matches, 20 neighbours that must stay. */
  async function seed(store: Store): Promise<{ matching: string[]; kept: string[] }> {
    const big = () => randomBytes(80 * 1024).toString('base64'); // 80 KB once compressed
    const matching = Array.from({ length: 40 }, (_, i) => `tenant:user:${i}`);
    const kept = [
      ...Array.from({ length: 10 }, (_, i) => `tenant2:user:${i}`),
      ...Array.from({ length: 5 }, (_, i) => `tenant:users:${i}`),
      ...Array.from({ length: 5 }, (_, i) => `other:tenant:user:${i}`),
    ];
    for (const key of [...matching, ...kept]) await store.set(key, big(), 60_000);
    return { matching, kept };
  }

  it.each([1, 3])(
    'deletes exactly the matches across Scan pages and counts them (scanSegments %i)',
    async (scanSegments) => {
      const tableName = await local.createTable();
      const store = new DynamoDBCacheStore({ tableName, client: local.client, scanSegments });
      const { matching, kept } = await seed(store);
      const { kinds, inputs } = recordCommands();
      const cache = new CacheService(store, { defaultTTL: 60, keyPrefix: 'tenant' });

      expect(await cache.delByPattern('user:*')).toBe(matching.length);

      const scans = inputs.filter((_, i) => kinds[i] === 'ScanCommand');
      expect(scans.length).toBeGreaterThanOrEqual(5); // 4.8 MB of items, 1 MB per page
      expect(scans.filter((scan) => scan.ExclusiveStartKey !== undefined).length).toBeGreaterThan(
        0,
      );
      expect(new Set(scans.map((scan) => scan.Segment)).size).toBe(scanSegments);
      expect(
        kinds.filter((kind) => kind === 'BatchWriteItemCommand').length,
      ).toBeGreaterThanOrEqual(2);
      for (const key of matching) expect(await store.has(key)).toBe(false);
      for (const key of kept) expect(await store.has(key)).toBe(true);
      expect(await cache.delByPattern('user:*')).toBe(0);
    },
  );

  it('does not count or delete expired items, and scans everything for a pattern without a literal prefix', async () => {
    const tableName = await local.createTable();
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    for (let i = 0; i < 30; i++) await store.set(`live:${i}`, 'v', 60_000);
    const pastMs = Date.now() - 1000;
    for (let i = 0; i < 3; i++) {
      await local.client.send(
        new sdk.PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `live:expired:${i}` },
            expiresAt: { N: String(Math.ceil(pastMs / 1000)) },
            expiresAtMs: { N: String(pastMs) },
            value: { S: 'old' },
          },
        }),
      );
    }
    const { inputs: sent } = recordCommands();
    expect(await store.delByPattern('*:?*')).toBe(30);
    expect(sent[0]).not.toHaveProperty('FilterExpression');
    expect(sent[0]).toMatchObject({ ProjectionExpression: '#k, #ms, #ttl', ConsistentRead: true });
    const { Count } = await local.client.send(new sdk.ScanCommand({ TableName: tableName }));
    expect(Count).toBe(3);
  });

  it('filters the Scan with begins_with on the literal prefix', async () => {
    const tableName = await local.createTable();
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    await store.set('a*b:1', 'v', 60_000);
    const { inputs: sent } = recordCommands();
    expect(await store.delByPattern('a\\*b:?')).toBe(1);
    expect(sent[0]).toMatchObject({
      FilterExpression: 'begins_with(#k, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: 'a*b:' } },
    });
  });
});

describe('BatchWriteItem UnprocessedItems', () => {
  const tableName = 'stubbed';
  const policy: BatchRetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

  /** A client whose BatchWriteItem leaves `leave(call)` requests unprocessed. */
  function stubClient(leave: (call: number) => number) {
    const batches: sdk.WriteRequest[][] = [];
    const client = {
      send: vi.fn(async (command: { input: sdk.BatchWriteItemCommandInput }) => {
        const requests = command.input.RequestItems?.[tableName] ?? [];
        batches.push(requests);
        const left = requests.slice(0, leave(batches.length));
        return left.length > 0 ? { UnprocessedItems: { [tableName]: left } } : {};
      }),
    };
    const context: PatternDeleteContext = {
      sdk,
      client: client as unknown as sdk.DynamoDBClient,
      tableName,
      attributes: { key: 'pk', ttl: 'expiresAt', expiresAtMs: 'expiresAtMs', value: 'value' },
      consistentRead: true,
      segments: 1,
      retry: policy,
      request: requester({ tableName, store: 'dynamodb', deadlineMs: 0 }),
    };
    return { batches, context };
  }

  it('retries only the unprocessed requests until none are left', async () => {
    const { batches, context } = stubClient((call) => (call === 1 ? 7 : call === 2 ? 2 : 0));
    const keys = Array.from({ length: 25 }, (_, i) => `k${i}`);
    await writeBatch(context, keys);
    expect(batches.map((batch) => batch.length)).toEqual([25, 7, 2]);
    expect(batches[1]).toEqual(batches[0]!.slice(0, 7));
  });

  it('fails clearly after maxAttempts', async () => {
    const { batches, context } = stubClient(() => 3);
    await expect(writeBatch(context, ['a', 'b', 'c', 'd'])).rejects.toMatchObject({
      code: 'E_STORE_UNAVAILABLE',
      message: expect.stringContaining('3 of 4 deletes unprocessed after 4 attempts'),
    });
    expect(batches).toHaveLength(4);
  });

  it('is retried by the store with its default backoff', async () => {
    let batchCalls = 0;
    const client = {
      send: vi.fn(async (command: object) => {
        if (command instanceof sdk.ScanCommand) {
          return { Items: ['p:1', 'p:2', 'q:1'].map((key) => ({ pk: { S: key } })) };
        }
        const input = (command as sdk.BatchWriteItemCommand).input;
        batchCalls++;
        return batchCalls === 1 ? { UnprocessedItems: input.RequestItems } : {};
      }),
    };
    const store = new DynamoDBCacheStore({
      tableName,
      client: client as unknown as sdk.DynamoDBClient,
    });
    expect(await store.delByPattern('p:*')).toBe(2);
    expect(batchCalls).toBe(2);
  });
});
