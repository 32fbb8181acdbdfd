import { randomBytes } from 'node:crypto';
import { CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';
import { brotliBomb, writeForeignItem } from './hostile-items.js';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
});
afterAll(async () => {
  await local?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Records every command the shared client sends; `rewrite` may answer one itself. */
function recordCommands(
  rewrite?: (
    kind: string,
    input: Record<string, unknown>,
    send: () => Promise<unknown>,
  ) => Promise<unknown> | undefined,
): { kinds: string[]; inputs: Record<string, unknown>[] } {
  const kinds: string[] = [];
  const inputs: Record<string, unknown>[] = [];
  const send = local.client.send.bind(local.client) as (command: unknown) => Promise<unknown>;
  const record = (command: { input: Record<string, unknown> }) => {
    const kind = command.constructor.name;
    kinds.push(kind);
    inputs.push(command.input);
    return rewrite?.(kind, command.input, () => send(command)) ?? send(command);
  };
  vi.spyOn(local.client, 'send').mockImplementation(record as unknown as typeof local.client.send);
  return { kinds, inputs };
}

const count = (kinds: string[], kind: string) => kinds.filter((one) => one === kind).length;

describe('DynamoDBCacheStore batches', () => {
  it('reads 250 keys in ⌈250/100⌉ BatchGetItem calls and writes them 25 a call', async () => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client, consistentRead: true });
    const keys = Array.from({ length: 250 }, (_, i) => `calls:${i}`);
    const { kinds, inputs } = recordCommands();
    await store.setMany(keys.map((key, i) => ({ key, payload: `v${i}`, ttlMs: 60_000 })));
    expect(count(kinds, 'BatchWriteItemCommand')).toBe(10);
    kinds.length = 0;
    inputs.length = 0;
    expect(await store.getMany(keys)).toEqual(keys.map((_, i) => `v${i}`));
    expect(kinds).toEqual(Array(3).fill('BatchGetItemCommand'));
    for (const input of inputs) {
      const request = (input.RequestItems as Record<string, { ConsistentRead?: boolean }>)[
        tableName
      ];
      expect(request?.ConsistentRead).toBe(true);
    }
  });

  it('retries UnprocessedKeys (the response size limit) until every item is read', async () => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    // Incompressible ~250 KB payloads: dynalite answers about 1.4 MB per call.
    const payloads = Array.from({ length: 12 }, () => randomBytes(190 * 1024).toString('base64'));
    const keys = payloads.map((_, i) => `large:${i}`);
    await store.setMany(keys.map((key, i) => ({ key, payload: payloads[i]!, ttlMs: 60_000 })));
    const { kinds } = recordCommands();
    expect(await store.getMany(keys)).toEqual(payloads);
    expect(count(kinds, 'BatchGetItemCommand')).toBeGreaterThan(1);
  });

  it('retries UnprocessedItems and UnprocessedKeys a throttled table returns', async () => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    let throttledWrites = 0;
    let throttledReads = 0;
    const { kinds } = recordCommands((kind, input) => {
      const items = input.RequestItems as Record<string, { Keys?: unknown[] } | unknown[]>;
      if (kind === 'BatchWriteItemCommand' && throttledWrites++ === 0) {
        const requests = items[tableName] as unknown[];
        return Promise.resolve({ UnprocessedItems: { [tableName]: requests } });
      }
      if (kind === 'BatchGetItemCommand' && throttledReads++ === 0) {
        const request = items[tableName] as { Keys: unknown[] };
        return Promise.resolve({
          Responses: { [tableName]: [] },
          UnprocessedKeys: { [tableName]: { Keys: request.Keys } },
        });
      }
      return undefined;
    });
    await store.setMany([{ key: 'throttled:a', payload: 'a', ttlMs: 60_000 }]);
    expect(await store.getMany(['throttled:a'])).toEqual(['a']);
    expect(count(kinds, 'BatchWriteItemCommand')).toBe(2);
    expect(count(kinds, 'BatchGetItemCommand')).toBe(2);
  });

  it('gives up after bounded retries with E_STORE_UNAVAILABLE', async () => {
    vi.useFakeTimers();
    try {
      const store = new DynamoDBCacheStore({ tableName, client: local.client });
      recordCommands((kind, input) =>
        kind === 'BatchGetItemCommand'
          ? Promise.resolve({
              UnprocessedKeys: {
                [tableName]: (input.RequestItems as Record<string, unknown>)[tableName],
              },
            })
          : undefined,
      );
      const read = store.getMany(['never']);
      const outcome = read.catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await outcome).toMatchObject({ code: 'E_STORE_UNAVAILABLE' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('judges each item as get does: either expiry attribute, undecodable payloads, bombs', async () => {
    const store = new DynamoDBCacheStore({
      tableName,
      client: local.client,
      maxValueBytes: 1024 * 1024,
    });
    await store.setMany([
      { key: 'judge:live', payload: 'live', ttlMs: 60_000 },
      { key: 'judge:expired', payload: 'x', ttlMs: 60_000 },
    ]);
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await local.client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'judge:expired' } },
        UpdateExpression: 'SET expiresAt = :sec',
        ExpressionAttributeValues: { ':sec': { N: String(Math.floor(Date.now() / 1000) - 60) } },
      }),
    );
    await writeForeignItem(local.client, tableName, 'judge:bomb', { B: await brotliBomb(8) });
    await writeForeignItem(local.client, tableName, 'judge:foreign', { B: Uint8Array.of(7, 1, 2) });
    expect(
      await store.getMany([
        'judge:live',
        'judge:expired',
        'judge:bomb',
        'judge:foreign',
        'k'.repeat(3000),
      ]),
    ).toEqual(['live', undefined, undefined, undefined, undefined]);
  });

  it('refuses an entry that does not fit before sending any', async () => {
    const store = new DynamoDBCacheStore({
      tableName,
      client: local.client,
      compressAboveBytes: 1e9,
    });
    const { kinds } = recordCommands();
    await expect(
      store.setMany([
        { key: 'fit:a', payload: 'a', ttlMs: 60_000 },
        { key: 'fit:b', payload: 'b'.repeat(500 * 1024), ttlMs: 60_000 },
      ]),
    ).rejects.toMatchObject({ code: 'E_VALUE_TOO_LARGE', key: 'fit:b' });
    await expect(
      store.setMany([{ key: 'k'.repeat(3000), payload: 'a', ttlMs: 60_000 }]),
    ).rejects.toMatchObject({ code: 'E_KEY_TOO_LONG' });
    expect(kinds).toEqual([]);
  });

  it('delMany counts the live entries and leaves expired ones to TTL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = new DynamoDBCacheStore({ tableName, client: local.client });
      const keys = Array.from({ length: 60 }, (_, i) => `delmany:${i}`);
      await store.setMany(
        keys.map((key, i) => ({ key, payload: 'v', ttlMs: i < 10 ? 1000 : 60_000 })),
      );
      vi.setSystemTime(Date.now() + 5000);
      expect(await store.delMany([...keys, 'delmany:absent'])).toBe(50);
      expect(await store.getMany(keys)).toEqual(Array(60).fill(undefined));
    } finally {
      vi.useRealTimers();
    }
  });

  it('serves wrapMany through a CacheService', async () => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client });
    const cache = new CacheService(store, {
      defaultTTL: 60,
      logger: silentLogger,
      keyPrefix: 'svc',
    });
    const keys = Array.from({ length: 130 }, (_, i) => `u:${i}`);
    await cache.setMany(keys.slice(30).map((key) => ({ key, value: { key } })));
    const loader = vi.fn((missing: string[]) => missing.map((key) => ({ key })));
    expect(await cache.wrapMany(keys, loader)).toEqual(keys.map((key) => ({ key })));
    expect(loader.mock.calls[0]![0]).toEqual(keys.slice(0, 30));
  });
});
