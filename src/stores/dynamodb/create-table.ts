import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CacheArgumentError, CacheStoreError, describeValue } from '../../errors.js';
import {
  acceptedKeys,
  durationProblem,
  type KeyList,
  unknownKeyProblem,
} from '../../shared/options.js';
import { sleep } from '../../shared/timers.js';
import type { DynamoDBClientLike } from './options.js';
import { type DynamoDBSdk, isAwsError, loadDynamoDBSdk } from './sdk.js';

/** Options of {@link createCacheTable}. */
export interface CreateCacheTableOptions {
  /** The table to create. */
  tableName: string;
  /** The client to use; it stays open. Without one, a client is created from `region` and `endpoint`. */
  client?: DynamoDBClientLike;
  /** @default the SDK's own chain (`AWS_REGION`, the shared config file) */
  region?: string;
  /** @default the SDK's own chain (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`) */
  endpoint?: string;
  /**
   * The partition key attribute (type S).
   * @default 'pk'
   */
  keyAttribute?: string;
  /**
   * The TTL attribute (type N, epoch seconds).
   * @default 'expiresAt'
   */
  ttlAttribute?: string;
  /**
   * How long to wait for the new table to become ACTIVE, in milliseconds.
   * @default 60000
   */
  waitTimeoutMs?: number;
}

/** What {@link createCacheTable} did. */
export interface CreateCacheTableResult {
  /** `false` when the table already existed. */
  created: boolean;
  /** `false` when the endpoint cannot enable TTL (dynalite answers `UnknownOperationException`). */
  ttlEnabled: boolean;
}

const POLL_INTERVAL_MS = 200;

const OPTION_KEYS = /* @__PURE__ */ acceptedKeys({
  tableName: true,
  client: true,
  region: true,
  endpoint: true,
  keyAttribute: true,
  ttlAttribute: true,
  waitTimeoutMs: true,
} satisfies KeyList<CreateCacheTableOptions>);

/**
 * Creates a table in the layout `DynamoDBCacheStore` expects by default, for local
 * development and tests: on-demand billing, partition key `pk` (S), and TTL on `expiresAt`.
 * Waits until the table is ACTIVE, then enables TTL on `ttlAttribute` unless it is already
 * on (also for a table that existed: its key schema and billing are left as they are).
 * Endpoints without TTL (dynalite) are tolerated and reported as `ttlEnabled: false`.
 * Stores never create tables; in production, declare the table in your infrastructure
 * (see docs/stores/dynamodb.md).
 *
 * @example
 * await createCacheTable({ tableName: 'my-cache', endpoint: 'http://127.0.0.1:8000' });
 * @throws CacheStoreError `E_STORE_TIMEOUT` when the table is not ACTIVE in time
 */
export async function createCacheTable(
  options: CreateCacheTableOptions,
): Promise<CreateCacheTableResult> {
  const invalid = (message: string) =>
    new CacheArgumentError('E_INVALID_OPTION', message, { store: 'dynamodb' });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(
      `createCacheTable options must be an object with a tableName, got ${describeValue(options)}`,
    );
  }
  const unknownKey = unknownKeyProblem(options, OPTION_KEYS, 'createCacheTable options');
  if (unknownKey !== undefined) throw invalid(unknownKey);
  const {
    tableName,
    keyAttribute = 'pk',
    ttlAttribute = 'expiresAt',
    waitTimeoutMs = 60_000,
  } = options;
  for (const [name, value] of Object.entries({ tableName, keyAttribute, ttlAttribute })) {
    if (typeof value !== 'string' || value.length === 0) {
      throw invalid(`${name} must be a non-empty string, got ${describeValue(value)}`);
    }
  }
  const waitProblem = durationProblem(waitTimeoutMs, 'waitTimeoutMs');
  if (waitProblem !== undefined) throw invalid(waitProblem);
  const sdk = await loadDynamoDBSdk();
  const client =
    (options.client as DynamoDBClient | undefined) ??
    new sdk.DynamoDBClient({
      ...(options.region !== undefined && { region: options.region }),
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    });
  try {
    let created = true;
    try {
      await client.send(
        new sdk.CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: keyAttribute, AttributeType: 'S' }],
          KeySchema: [{ AttributeName: keyAttribute, KeyType: 'HASH' }],
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ResourceInUseException')) throw error;
      created = false;
    }
    const deadline = Date.now() + waitTimeoutMs;
    for (;;) {
      const { Table } = await client.send(new sdk.DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (Date.now() >= deadline) {
        throw new CacheStoreError(
          'E_STORE_TIMEOUT',
          `table "${tableName}" is ${Table?.TableStatus ?? 'unknown'}, not ACTIVE, after ${waitTimeoutMs} ms`,
          { store: 'dynamodb' },
        );
      }
      await sleep(POLL_INTERVAL_MS);
    }
    return { created, ttlEnabled: await enableTtl(sdk, client, tableName, ttlAttribute) };
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

async function enableTtl(
  sdk: DynamoDBSdk,
  client: DynamoDBClient,
  tableName: string,
  ttlAttribute: string,
): Promise<boolean> {
  const { TimeToLiveDescription: ttl } = await client.send(
    new sdk.DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const on = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
  if (on && ttl?.AttributeName === ttlAttribute) return true;
  try {
    await client.send(
      new sdk.UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
    return true;
  } catch (error) {
    if (isAwsError(error, 'UnknownOperationException')) return false;
    throw error;
  }
}
