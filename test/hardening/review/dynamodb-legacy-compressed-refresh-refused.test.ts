/**
 * DynamoDB `setIfHead` conditions on the `head` attribute or, for items written before it
 * existed, on `begins_with(<payload attribute>, :head)`. A legacy item whose payload was
 * compressed is type B: `begins_with` on it never matches a string head, so every
 * stale-while-revalidate refresh of it is refused until `maxTTL` ends, and because the
 * refresh "succeeded" (the loader ran) there is no backoff: the loader runs on every read.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CacheService, DynamoDBCacheStore, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';

let local: LocalDynamoDB;
let tableName: string;
beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable('review-legacy');
});
afterAll(async () => {
  await local?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refreshing a legacy item (no head attribute)', () => {
  for (const compressed of [false, true]) {
    it(`${compressed ? 'compressed' : 'uncompressed'} legacy item is refreshed`, async () => {
      const store = new DynamoDBCacheStore({
        tableName,
        client: local.client,
        compressAboveBytes: 64,
      });
      const cache = new CacheService(store, {
        defaultTTL: 60,
        logger: silentLogger,
        refreshLease: false,
      });
      const key = `legacy-${compressed}`;
      const old = compressed ? 'x'.repeat(2000) : 'old';
      await cache.wrapSWR(key, 0.5, 600, () => old);
      // Make it a legacy item: what a release before `head` existed wrote.
      await local.client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: key } },
          UpdateExpression: 'REMOVE #h',
          ExpressionAttributeNames: { '#h': 'head' },
        }),
      );
      await sleep(600); // stale now
      let loads = 0;
      const loader = () => {
        loads++;
        return 'new';
      };
      // Inline refresh: the caller waits for it.
      expect(await cache.wrapSWR(key, 0.5, 600, loader, { backgroundRefresh: false })).toBe('new');
      expect(await cache.get(key)).toBe('new');
      expect(await cache.wrapSWR(key, 0.5, 600, loader, { backgroundRefresh: false })).toBe('new');
      expect(loads).toBe(1);
    });
  }
});
