import type { DynamoDBClient, KeysAndAttributes, WriteRequest } from '@aws-sdk/client-dynamodb';
import { CacheStoreError } from '../../errors.js';
import { decodePayload } from './compression.js';
import type { BatchRetryPolicy } from './delete-by-pattern.js';
import { type Item, type ItemAttributes, isLive, keyFits } from './item.js';
import type { Requester } from './request.js';
import type { DynamoDBSdk } from './sdk.js';

/** BatchGetItem's limit of keys per call. */
const GET_BATCH_SIZE = 100;
/** BatchWriteItem's limit of requests per call. */
const WRITE_BATCH_SIZE = 25;

/** What the batch operations work on. */
export interface BatchContext {
  sdk: DynamoDBSdk;
  client: DynamoDBClient;
  tableName: string;
  attributes: ItemAttributes;
  consistentRead: boolean;
  maxValueBytes: number;
  retry: BatchRetryPolicy;
  /** Sends each request, bounded in time, with failures coded. */
  request: Requester;
}

/**
 * The payloads under `keys`, aligned with them: BatchGetItem, 100 distinct keys a call, the
 * calls in parallel, `UnprocessedKeys` (throttling, or the 16 MB response limit) retried
 * with bounded backoff. Each item is judged like `get`: expired on either expiry
 * attribute, a key over DynamoDB's limit, or a payload that cannot be decoded within
 * `maxValueBytes` reads as `undefined`.
 */
export async function getPayloads(
  context: BatchContext,
  keys: readonly string[],
): Promise<(string | undefined)[]> {
  const items = await getItems(context, keys, false);
  const { attributes, maxValueBytes } = context;
  const nowMs = Date.now();
  return Promise.all(
    keys.map((key) => {
      const item = items.get(key);
      if (item === undefined || !isLive(item, attributes, nowMs)) return undefined;
      return decodePayload(item[attributes.value], key, maxValueBytes).catch(() => undefined);
    }),
  );
}

/** Stores `items` with BatchWriteItem, 25 a call, retrying `UnprocessedItems`. */
export async function putItems(context: BatchContext, items: readonly Item[]): Promise<void> {
  await writeAll(
    context,
    items.map((item) => ({ PutRequest: { Item: item } })),
  );
}

/**
 * Deletes `keys` and resolves how many were unexpired: their expiry attributes are read
 * first (BatchGetItem), then the live ones are deleted (BatchWriteItem), so the count is of
 * entries live when read. Expired items are left for TTL, as `del` does.
 */
export async function deleteKeys(context: BatchContext, keys: readonly string[]): Promise<number> {
  const heads = await getItems(context, keys, true);
  const nowMs = Date.now();
  const live = [...heads].filter(([, item]) => isLive(item, context.attributes, nowMs));
  await writeAll(
    context,
    live.map(([key]) => ({ DeleteRequest: { Key: { [context.attributes.key]: { S: key } } } })),
  );
  return live.length;
}

/** The items found under the distinct, well-sized `keys`, by key (whole, or expiry only). */
async function getItems(
  context: BatchContext,
  keys: readonly string[],
  expiryOnly: boolean,
): Promise<Map<string, Item>> {
  const { attributes } = context;
  const wanted = [...new Set(keys)].filter(keyFits);
  const found = new Map<string, Item>();
  const chunks: Promise<void>[] = [];
  for (let at = 0; at < wanted.length; at += GET_BATCH_SIZE) {
    const request: KeysAndAttributes = {
      Keys: wanted.slice(at, at + GET_BATCH_SIZE).map((key) => ({ [attributes.key]: { S: key } })),
      ConsistentRead: context.consistentRead,
      ...(expiryOnly && {
        ProjectionExpression: '#k, #ms, #ttl',
        ExpressionAttributeNames: {
          '#k': attributes.key,
          '#ms': attributes.expiresAtMs,
          '#ttl': attributes.ttl,
        },
      }),
    };
    chunks.push(getChunk(context, request, found));
  }
  await Promise.all(chunks);
  return found;
}

async function getChunk(
  context: BatchContext,
  first: KeysAndAttributes,
  found: Map<string, Item>,
): Promise<void> {
  const { sdk, client, tableName, attributes, request } = context;
  let next: KeysAndAttributes | undefined = first;
  for (let attempt = 1; next !== undefined && (next.Keys?.length ?? 0) > 0; attempt++) {
    await backoff(context, attempt, 'BatchGetItem', next.Keys!.length, first.Keys!.length);
    const batch: KeysAndAttributes = next;
    const result = await request('BatchGetItem', undefined, (options) =>
      client.send(new sdk.BatchGetItemCommand({ RequestItems: { [tableName]: batch } }), options),
    );
    for (const item of result.Responses?.[tableName] ?? []) {
      const key = item[attributes.key]?.S;
      if (key !== undefined) found.set(key, item);
    }
    const unprocessed = result.UnprocessedKeys?.[tableName]?.Keys;
    // The retry keeps the first request's projection and consistency whatever comes back.
    next = unprocessed === undefined ? undefined : { ...first, Keys: unprocessed };
  }
}

/** Sends write requests 25 a call, the calls in parallel, each retrying its unprocessed items. */
async function writeAll(context: BatchContext, requests: WriteRequest[]): Promise<void> {
  const batches: Promise<void>[] = [];
  for (let at = 0; at < requests.length; at += WRITE_BATCH_SIZE) {
    batches.push(writeChunk(context, requests.slice(at, at + WRITE_BATCH_SIZE)));
  }
  await Promise.all(batches);
}

async function writeChunk(context: BatchContext, first: WriteRequest[]): Promise<void> {
  const { sdk, client, tableName, request } = context;
  let next = first;
  for (let attempt = 1; next.length > 0; attempt++) {
    await backoff(context, attempt, 'BatchWriteItem', next.length, first.length);
    const batch = next;
    const result = await request('BatchWriteItem', undefined, (options) =>
      client.send(new sdk.BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }), options),
    );
    next = result.UnprocessedItems?.[tableName] ?? [];
  }
}

/**
 * Before a retry of unprocessed requests: full-jitter exponential backoff, bounded.
 * @throws CacheStoreError `E_STORE_UNAVAILABLE` past the last attempt
 */
async function backoff(
  context: BatchContext,
  attempt: number,
  operation: string,
  left: number,
  total: number,
): Promise<void> {
  if (attempt === 1) return;
  const { retry, tableName } = context;
  if (attempt > retry.maxAttempts) {
    throw new CacheStoreError(
      'E_STORE_UNAVAILABLE',
      `${operation} left ${left} of ${total} requests unprocessed after ${retry.maxAttempts} attempts on table "${tableName}"`,
      { store: 'dynamodb' },
    );
  }
  const ceilingMs = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 2));
  await new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}
