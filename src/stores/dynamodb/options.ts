import { CacheArgumentError, describeValue } from '../../errors.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../../shared/options.js';
import type { ItemAttributes } from './item.js';
import { HEAD_ATTRIBUTE } from './item.js';

/**
 * A `DynamoDBClient` from `@aws-sdk/client-dynamodb`, typed by the one method the store
 * calls, so that glasswork's type declarations do not require the SDK.
 */
export interface DynamoDBClientLike {
  send(command: object, options?: object): Promise<object>;
}

/** Options of {@link DynamoDBCacheStore}. */
export interface DynamoDBCacheStoreOptions {
  /** The cache table. It must exist: the store never creates tables (see `createCacheTable`). */
  tableName: string;
  /**
   * Region of the client the store creates.
   * @default the SDK's own chain (`AWS_REGION`, the shared config file)
   */
  region?: string;
  /**
   * Endpoint URL of the client the store creates, e.g. dynalite or LocalStack.
   * @default the SDK's own chain (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`, then the region's endpoint)
   */
  endpoint?: string;
  /**
   * A client to use instead of one the store creates; `close()` leaves it open. Configure
   * region, endpoint, retries and timeouts on it: those options must then be omitted.
   */
  client?: DynamoDBClientLike;
  /**
   * Strongly consistent reads for `get`, `has` and the scans of `delByPattern`. `false`
   * halves read cost, but a read may then miss a write or delete made within about a second.
   * @default true
   */
  consistentRead?: boolean;
  /**
   * The partition key attribute (type S), holding the cache key.
   * @default 'pk'
   */
  keyAttribute?: string;
  /**
   * The table's TTL attribute (type N, epoch seconds, rounded up). DynamoDB deletes expired
   * items lazily, up to days late; the store checks expiry itself on every read. It is
   * authoritative: an item past it is a miss, whatever `expiresAtMsAttribute` says.
   * @default 'expiresAt'
   */
  ttlAttribute?: string;
  /**
   * The attribute holding the expiry in epoch milliseconds (type N), which reads check
   * along with the TTL attribute.
   * @default 'expiresAtMs'
   */
  expiresAtMsAttribute?: string;
  /**
   * The attribute holding the payload: type S as written, or type B when compressed.
   * @default 'value'
   */
  valueAttribute?: string;
  /**
   * Payloads longer than this many UTF-8 bytes are compressed with brotli (kept only when
   * smaller). `Infinity` turns compression off.
   * @default 1024
   */
  compressAboveBytes?: number;
  /**
   * The largest payload, in UTF-8 bytes, that `set` accepts and that `get` inflates a
   * compressed item to. A larger value is refused with `E_VALUE_TOO_LARGE`; a stored item
   * that inflates past it (another writer's, or a decompression bomb) reads as a miss with
   * `E_PAYLOAD_TOO_LARGE`, after at most this many bytes were inflated, off the event loop.
   * From 1 KiB to 256 MiB. The default is about 20 items' worth (20 × 400 KiB = 7.8 MiB),
   * 2.7 times the 3 MB listing the compression is measured on.
   * @default 8388608 (8 MiB)
   */
  maxValueBytes?: number;
  /**
   * Parallel Scan segments `delByPattern` reads the table with (1 to 1,000,000).
   * @default 1
   */
  scanSegments?: number;
  /**
   * Attempts per request of the client the store creates, first try included (the SDK's
   * standard retry strategy, with exponential backoff, handles throttling).
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Per-attempt limit of the client the store creates, in milliseconds, for connecting and
   * for the response to start. Each call of the store, every attempt, backoff and the whole
   * response body included, is also aborted after `maxAttempts × requestTimeoutMs` (3 s
   * with the defaults) with `E_STORE_TIMEOUT`.
   * @default 1000
   */
  requestTimeoutMs?: number;
}

/** The options with defaults applied. */
export interface ResolvedDynamoDBOptions {
  tableName: string;
  consistentRead: boolean;
  attributes: ItemAttributes;
  compressAboveBytes: number;
  maxValueBytes: number;
  scanSegments: number;
  client: DynamoDBClientLike | undefined;
  /** Configuration of the client the store creates; only what the user set is passed. */
  clientConfig: {
    region?: string;
    endpoint?: string;
    maxAttempts: number;
    requestTimeoutMs: number;
  };
}

/** About 20 items' worth of payload (20 × 400 KiB = 7.8 MiB). */
const DEFAULT_MAX_VALUE_BYTES = 8 * 1024 * 1024;
const MAX_VALUE_BYTES_LIMIT = 256 * 1024 * 1024;

const CLIENT_OPTIONS = ['region', 'endpoint', 'maxAttempts', 'requestTimeoutMs'] as const;

const OPTION_KEYS = /* @__PURE__ */ acceptedKeys({
  tableName: true,
  region: true,
  endpoint: true,
  client: true,
  consistentRead: true,
  keyAttribute: true,
  ttlAttribute: true,
  expiresAtMsAttribute: true,
  valueAttribute: true,
  compressAboveBytes: true,
  scanSegments: true,
  maxAttempts: true,
  requestTimeoutMs: true,
  maxValueBytes: true,
} satisfies KeyList<DynamoDBCacheStoreOptions>);

/**
 * Checks {@link DynamoDBCacheStoreOptions} and applies defaults.
 * @throws CacheArgumentError `E_INVALID_OPTION` naming the first bad option
 */
export function resolveDynamoDBOptions(
  options: DynamoDBCacheStoreOptions,
): ResolvedDynamoDBOptions {
  if (typeof options !== 'object' || options === null) {
    invalid(
      `DynamoDBCacheStore options must be an object with a tableName, got ${describeValue(options)}`,
    );
  }
  const unknownKey = unknownKeyProblem(options, OPTION_KEYS, 'DynamoDBCacheStore options');
  if (unknownKey !== undefined) invalid(unknownKey);
  const tableName = nonEmptyString(options.tableName, 'tableName');
  if (options.client !== undefined) {
    if (typeof options.client?.send !== 'function') {
      invalid(`client must be a DynamoDBClient, got ${describeValue(options.client)}`);
    }
    const clash = CLIENT_OPTIONS.find((name) => options[name] !== undefined);
    if (clash !== undefined) {
      invalid(`${clash} applies only to a client the store creates; configure the client instead`);
    }
  }
  const attributes: ItemAttributes = {
    key: nonEmptyString(options.keyAttribute ?? 'pk', 'keyAttribute'),
    ttl: nonEmptyString(options.ttlAttribute ?? 'expiresAt', 'ttlAttribute'),
    expiresAtMs: nonEmptyString(
      options.expiresAtMsAttribute ?? 'expiresAtMs',
      'expiresAtMsAttribute',
    ),
    value: nonEmptyString(options.valueAttribute ?? 'value', 'valueAttribute'),
  };
  if (new Set([...Object.values(attributes), HEAD_ATTRIBUTE]).size < 5) {
    invalid(
      `attribute names must differ from each other and from "${HEAD_ATTRIBUTE}" (the payload's head), got ${JSON.stringify(attributes)}`,
    );
  }
  const consistentRead = options.consistentRead ?? true;
  if (typeof consistentRead !== 'boolean') {
    invalid(`consistentRead must be a boolean, got ${describeValue(consistentRead)}`);
  }
  const compressAboveBytes = options.compressAboveBytes ?? 1024;
  if (!(compressAboveBytes === Number.POSITIVE_INFINITY || isInteger(compressAboveBytes, 0))) {
    invalid(
      `compressAboveBytes must be a non-negative integer or Infinity, got ${describeValue(compressAboveBytes)}`,
    );
  }
  const clientConfig: ResolvedDynamoDBOptions['clientConfig'] = {
    maxAttempts: integer(options.maxAttempts ?? 3, 'maxAttempts', 1, 10),
    requestTimeoutMs: integer(options.requestTimeoutMs ?? 1000, 'requestTimeoutMs', 1, 600_000),
  };
  if (options.region !== undefined) clientConfig.region = nonEmptyString(options.region, 'region');
  if (options.endpoint !== undefined) clientConfig.endpoint = url(options.endpoint);
  return {
    tableName,
    consistentRead,
    attributes,
    compressAboveBytes,
    maxValueBytes: integer(
      options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
      'maxValueBytes',
      1024,
      MAX_VALUE_BYTES_LIMIT,
    ),
    scanSegments: integer(options.scanSegments ?? 1, 'scanSegments', 1, 1_000_000),
    client: options.client,
    clientConfig,
  };
}

function invalid(message: string): never {
  throw new CacheArgumentError('E_INVALID_OPTION', message, { store: 'dynamodb' });
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (!isInteger(value, min, max)) {
    invalid(`${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    invalid(`${name} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

function url(value: unknown): string {
  const text = nonEmptyString(value, 'endpoint');
  if (!URL.canParse(text))
    invalid(`endpoint must be a URL such as http://127.0.0.1:8000, got ${describeValue(text)}`);
  return text;
}
