import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { CacheStoreError } from '../../errors.js';
import { sleep } from '../../shared/timers.js';
import { compileGlob, globLiteralPrefix } from '../glob.js';
import { type Item, type ItemAttributes, isLive } from './item.js';
import type { Requester } from './request.js';
import type { DynamoDBSdk } from './sdk.js';

/** BatchWriteItem's limit of requests per call. */
const BATCH_SIZE = 25;
/** Batches of one Scan page sent at once. */
const BATCHES_IN_FLIGHT = 4;

/** How `UnprocessedItems` are retried: full-jitter exponential backoff, bounded. */
export interface BatchRetryPolicy {
  /** Calls per batch, the first included, before giving up. */
  maxAttempts: number;
  /** Upper bound of the first delay, in milliseconds; it doubles each retry. */
  baseDelayMs: number;
  /** Cap of any one delay, in milliseconds. */
  maxDelayMs: number;
}

/** Worst case about 5 s of waiting per batch before the failure is reported. */
export const DEFAULT_BATCH_RETRY: BatchRetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

/** What {@link deleteByPattern} works on. */
export interface PatternDeleteContext {
  sdk: DynamoDBSdk;
  client: DynamoDBClient;
  tableName: string;
  attributes: ItemAttributes;
  consistentRead: boolean;
  segments: number;
  retry: BatchRetryPolicy;
  /** Sends each request, bounded in time, with failures coded. */
  request: Requester;
}

/**
 * Deletes every unexpired item whose key matches `pattern` and resolves how many it
 * deleted. Reads the whole table: a paginated Scan (in parallel segments when asked),
 * filtered server-side with `begins_with` on the pattern's literal prefix, projecting
 * only the key and expiry; a filter does not reduce the read capacity a Scan consumes.
 * Keys are matched exactly with `compileGlob`, then deleted with BatchWriteItem, 25 at a
 * time. Expired items are neither counted nor deleted: TTL removes them at no cost.
 */
export async function deleteByPattern(
  context: PatternDeleteContext,
  pattern: string,
): Promise<number> {
  const matches = compileGlob(pattern);
  const prefix = globLiteralPrefix(pattern);
  const segments = Array.from({ length: context.segments }, (_, segment) =>
    deleteInSegment(context, segment, prefix, matches),
  );
  const counts = await Promise.all(segments);
  return counts.reduce((sum, count) => sum + count, 0);
}

async function deleteInSegment(
  context: PatternDeleteContext,
  segment: number,
  prefix: string,
  matches: (key: string) => boolean,
): Promise<number> {
  const { sdk, client, tableName, attributes, request } = context;
  const names: Record<string, string> = {
    '#k': attributes.key,
    '#ms': attributes.expiresAtMs,
    '#ttl': attributes.ttl,
  };
  let removed = 0;
  let startKey: Item | undefined;
  do {
    const page = await request('Scan', undefined, (options) =>
      client.send(
        new sdk.ScanCommand({
          TableName: tableName,
          ProjectionExpression: '#k, #ms, #ttl',
          ExpressionAttributeNames: names,
          ...(prefix && {
            FilterExpression: 'begins_with(#k, :prefix)',
            ExpressionAttributeValues: { ':prefix': { S: prefix } },
          }),
          ...(context.segments > 1 && { Segment: segment, TotalSegments: context.segments }),
          ConsistentRead: context.consistentRead,
          ExclusiveStartKey: startKey,
        }),
        options,
      ),
    );
    const nowMs = Date.now();
    const keys: string[] = [];
    for (const item of page.Items ?? []) {
      const key = item[attributes.key]?.S;
      if (key !== undefined && matches(key) && isLive(item, attributes, nowMs)) keys.push(key);
    }
    await deleteKeys(context, keys);
    removed += keys.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return removed;
}

/** Deletes `keys` in batches of 25, a few batches at a time. */
async function deleteKeys(context: PatternDeleteContext, keys: string[]): Promise<void> {
  const step = BATCH_SIZE * BATCHES_IN_FLIGHT;
  for (let start = 0; start < keys.length; start += step) {
    const batches: Promise<void>[] = [];
    for (let at = start; at < Math.min(start + step, keys.length); at += BATCH_SIZE) {
      batches.push(writeBatch(context, keys.slice(at, at + BATCH_SIZE)));
    }
    await Promise.all(batches);
  }
}

/**
 * Sends one BatchWriteItem of deletes and retries its `UnprocessedItems` with bounded
 * exponential backoff and full jitter.
 * @throws CacheStoreError `E_STORE_UNAVAILABLE` when items remain after the last attempt
 */
export async function writeBatch(context: PatternDeleteContext, keys: string[]): Promise<void> {
  const { sdk, client, tableName, attributes, retry, request } = context;
  let requests: WriteRequest[] = keys.map((key) => ({
    DeleteRequest: { Key: { [attributes.key]: { S: key } } },
  }));
  for (let attempt = 1; requests.length > 0; attempt++) {
    if (attempt > 1) {
      if (attempt > retry.maxAttempts) {
        throw new CacheStoreError(
          'E_STORE_UNAVAILABLE',
          `BatchWriteItem left ${requests.length} of ${keys.length} deletes unprocessed after ${retry.maxAttempts} attempts on table "${tableName}"`,
          { store: 'dynamodb', key: keys[0] },
        );
      }
      const ceilingMs = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 2));
      await sleep(Math.random() * ceilingMs);
    }
    const batch = requests;
    const result = await request('BatchWriteItem', undefined, (options) =>
      client.send(new sdk.BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }), options),
    );
    requests = result.UnprocessedItems?.[tableName] ?? [];
  }
}
