import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CacheLimitError, CacheStoreError, quoteKey } from '../../errors.js';
import type { CacheStore, StoreEntry } from '../types.js';
import { type BatchContext, deleteKeys, getPayloads, putItems } from './batch.js';
import { decodePayload, encodePayload } from './compression.js';
import { DEFAULT_BATCH_RETRY, deleteByPattern } from './delete-by-pattern.js';
import {
  assertKeyFits,
  buildItem,
  expiredCondition,
  HEAD_ATTRIBUTE,
  HEAD_CHARS,
  type Item,
  isLive,
  keyFits,
  MAX_ITEM_BYTES,
  payloadHead,
  tooLarge,
} from './item.js';
import {
  type DynamoDBCacheStoreOptions,
  type ResolvedDynamoDBOptions,
  resolveDynamoDBOptions,
} from './options.js';
import { type Requester, requester, type SendOptions } from './request.js';
import { type DynamoDBSdk, isAwsError, loadDynamoDBSdk } from './sdk.js';

interface Connection {
  sdk: DynamoDBSdk;
  client: DynamoDBClient;
}

/**
 * A store on a DynamoDB table: the serverless default. The table has a partition key
 * `pk` (S) and TTL on `expiresAt` (epoch seconds); create it with your infrastructure or,
 * locally, with `createCacheTable`. The store never creates tables.
 *
 * Every read checks expiry itself (DynamoDB's TTL deletes lazily, up to days late), on both
 * expiry attributes. Payloads over `compressAboveBytes` are brotli-compressed so multi-MB
 * JSON fits the 400 KB item; entries that still do not fit are refused with
 * `E_VALUE_TOO_LARGE`. Reads inflate at most `maxValueBytes`, off the event loop. Every
 * request is bounded in time and fails with a coded `CacheStoreError`.
 * `@aws-sdk/client-dynamodb` is loaded on first use, not at import.
 *
 * @example
 * const store = new DynamoDBCacheStore({ tableName: 'my-cache', region: 'eu-central-1' });
 * const cache = new CacheService(store, { defaultTTL: 300 });
 */
export class DynamoDBCacheStore implements CacheStore {
  readonly name = 'dynamodb';
  readonly #options: ResolvedDynamoDBOptions;
  readonly #request: Requester;
  #connection: Promise<Connection> | undefined;
  #closed = false;

  /** @throws CacheArgumentError `E_INVALID_OPTION` for a bad option */
  constructor(options: DynamoDBCacheStoreOptions) {
    this.#options = resolveDynamoDBOptions(options);
    const { client, clientConfig, tableName } = this.#options;
    this.#request = requester({
      tableName,
      store: this.name,
      deadlineMs:
        client === undefined ? clientConfig.maxAttempts * clientConfig.requestTimeoutMs : 0,
    });
  }

  async get(key: string): Promise<string | undefined> {
    const item = await this.#liveItem(key, 'whole');
    const { attributes, maxValueBytes } = this.#options;
    return item && decodePayload(item[attributes.value], key, maxValueBytes);
  }

  /** Reads only the expiry attributes (less transfer; DynamoDB charges the full item's RCUs). */
  async has(key: string): Promise<boolean> {
    return (await this.#liveItem(key, 'expiry')) !== undefined;
  }

  /**
   * Reads the `head` attribute the store writes beside the payload (the first 40
   * characters, uncompressed), so the payload never travels; items written without it
   * are read whole.
   */
  async getHead(key: string, length: number): Promise<string | undefined> {
    if (length <= HEAD_CHARS) {
      const item = await this.#liveItem(key, 'head');
      if (item === undefined) return undefined;
      const head = item[HEAD_ATTRIBUTE]?.S;
      if (head !== undefined) return head.slice(0, length);
    }
    return (await this.get(key))?.slice(0, length);
  }

  /**
   * A conditional PutItem on the live item's `head` attribute (or, on items written without
   * one, its uncompressed payload): atomic across processes.
   * @throws CacheLimitError `E_KEY_TOO_LONG`, `E_VALUE_TOO_LARGE`
   */
  async setIfHead(key: string, head: string, payload: string, ttlMs: number): Promise<boolean> {
    const item = await this.#item(key, payload, ttlMs);
    const { attributes, maxValueBytes } = this.#options;
    const onHead = `begins_with(#h, :head) OR (attribute_not_exists(#h) AND begins_with(#v, :head))`;
    if (await this.#putIf(key, item, onHead, { ':head': { S: head } })) return true;
    // An item written without a head attribute whose payload is compressed: compare it
    // decoded, and condition the write on the exact bytes read (as delIfEquals does).
    const stored = await this.#liveItem(key, 'whole');
    const value = stored?.[attributes.value];
    if (stored === undefined || value?.B === undefined || stored[HEAD_ATTRIBUTE] !== undefined) {
      return false;
    }
    const current = await decodePayload(value, key, maxValueBytes).catch(() => undefined);
    if (current === undefined || !current.startsWith(head)) return false;
    return this.#putIf(key, item, 'attribute_not_exists(#h) AND #v = :stored', {
      ':stored': value,
    });
  }

  /** A PutItem of `item` while the live item under `key` meets `condition`; whether it did. */
  #putIf(key: string, item: Item, condition: string, values: Item): Promise<boolean> {
    const { attributes, tableName } = this.#options;
    const expired = expiredCondition(attributes, Date.now());
    return this.#unlessConditionFails('PutItem', key, ({ sdk, client }, options) =>
      client.send(
        new sdk.PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: `attribute_exists(#k) AND NOT ${expired.expression} AND (${condition})`,
          ExpressionAttributeNames: {
            ...expired.names,
            '#h': HEAD_ATTRIBUTE,
            '#v': attributes.value,
          },
          ExpressionAttributeValues: { ...expired.values, ...values },
        }),
        options,
      ),
    );
  }

  /** @throws CacheLimitError `E_KEY_TOO_LONG`, `E_VALUE_TOO_LARGE` */
  async set(key: string, payload: string, ttlMs: number): Promise<void> {
    const item = await this.#item(key, payload, ttlMs);
    const TableName = this.#options.tableName;
    await this.#send('PutItem', key, ({ sdk, client }, options) =>
      client.send(new sdk.PutItemCommand({ TableName, Item: item }), options),
    );
  }

  /**
   * A conditional PutItem (`attribute_not_exists(pk) OR <expired>`): atomic across processes.
   * @throws CacheLimitError `E_KEY_TOO_LONG`, `E_VALUE_TOO_LARGE`
   */
  async setIfAbsent(key: string, payload: string, ttlMs: number): Promise<boolean> {
    const item = await this.#item(key, payload, ttlMs);
    const expired = expiredCondition(this.#options.attributes, Date.now());
    return this.#unlessConditionFails('PutItem', key, ({ sdk, client }, options) =>
      client.send(
        new sdk.PutItemCommand({
          TableName: this.#options.tableName,
          Item: item,
          ConditionExpression: `attribute_not_exists(#k) OR ${expired.expression}`,
          ExpressionAttributeNames: expired.names,
          ExpressionAttributeValues: expired.values,
        }),
        options,
      ),
    );
  }

  /**
   * A DeleteItem conditioned on the entry being unexpired, so the answer is honest without
   * shipping the old item back (`ReturnValues: ALL_OLD` would return up to 400 KB). An
   * expired item is left for TTL to remove; the capacity consumed is the same either way.
   */
  async del(key: string): Promise<boolean> {
    if (!keyFits(key)) return false;
    const expired = expiredCondition(this.#options.attributes, Date.now());
    return this.#unlessConditionFails('DeleteItem', key, ({ sdk, client }, options) =>
      client.send(
        new sdk.DeleteItemCommand({
          TableName: this.#options.tableName,
          Key: this.#key(key),
          ConditionExpression: `attribute_exists(#k) AND NOT ${expired.expression}`,
          ExpressionAttributeNames: expired.names,
          ExpressionAttributeValues: expired.values,
        }),
        options,
      ),
    );
  }

  /**
   * A DeleteItem conditioned on the live item's payload attribute, so it is atomic. The
   * payload is first compared as this store would encode it; when that fails, the item is
   * read and compared decoded (a writer with other compression settings, or another zlib,
   * may have stored other bytes for the same payload), and the delete is conditioned on the
   * bytes read.
   */
  async delIfEquals(key: string, payload: string): Promise<boolean> {
    if (!keyFits(key)) return false;
    const encoded = await encodePayload(payload, this.#options.compressAboveBytes);
    if (await this.#deleteHolding(key, encoded.value)) return true;
    const stored = (await this.#liveItem(key, 'whole'))?.[this.#options.attributes.value];
    if (stored === undefined) return false;
    const current = await decodePayload(stored, key, this.#options.maxValueBytes).catch(
      () => undefined,
    );
    return current === payload && this.#deleteHolding(key, stored);
  }

  /**
   * BatchGetItem, 100 keys a call (`consistentRead` honoured), `UnprocessedKeys` retried with
   * backoff; each item judged and decoded exactly as `get` does (an unreadable one is
   * `undefined`).
   */
  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    return getPayloads(await this.#batchContext(), keys);
  }

  /**
   * BatchWriteItem, 25 entries a call, `UnprocessedItems` retried with backoff. Every item
   * is built and checked as `set` does before any is sent; of a key given twice, the last
   * entry wins.
   * @throws CacheLimitError `E_KEY_TOO_LONG`, `E_VALUE_TOO_LARGE`
   */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const last = new Map(entries.map((entry) => [entry.key, entry]));
    const items = await Promise.all(
      [...last.values()].map(({ key, payload, ttlMs }) => this.#item(key, payload, ttlMs)),
    );
    await putItems(await this.#batchContext(), items);
  }

  /**
   * Reads the keys' expiry (BatchGetItem), then deletes the live ones (BatchWriteItem, 25 a
   * call): the count is of entries live when read.
   */
  async delMany(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return deleteKeys(await this.#batchContext(), keys);
  }

  /**
   * Deletes the unexpired entries whose keys match `pattern` and resolves their number.
   * Costly: it Scans the whole table (read capacity for every item, whatever the pattern),
   * filtered by the pattern's literal prefix, then deletes matches 25 per BatchWriteItem,
   * retrying unprocessed items with backoff. Use `scanSegments` to scan in parallel.
   */
  async delByPattern(pattern: string): Promise<number> {
    const { sdk, client } = await this.#connect();
    const options = this.#options;
    return deleteByPattern(
      {
        sdk,
        client,
        tableName: options.tableName,
        attributes: options.attributes,
        consistentRead: options.consistentRead,
        segments: options.scanSegments,
        retry: DEFAULT_BATCH_RETRY,
        request: this.#request,
      },
      pattern,
    );
  }

  /**
   * Loads the SDK and creates the client now rather than on the first call: call it in a
   * Lambda's init phase, outside the handler. With `checkTable`, also reads one absent
   * item (a GetItem, which the store needs anyway; half a read unit), which opens the
   * connection and checks that the table exists. Optional: the first call does the rest.
   * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when the SDK cannot be loaded
   * @throws CacheStoreError `E_STORE_UNAVAILABLE` when `checkTable` finds no table or fails
   * @example
   * const store = new DynamoDBCacheStore({ tableName: process.env.CACHE_TABLE! });
   * await store.connect({ checkTable: true }); // top level of the handler module
   */
  async connect(options: { checkTable?: boolean } = {}): Promise<void> {
    const { sdk, client } = await this.#connect();
    if (options.checkTable !== true) return;
    const { tableName, attributes } = this.#options;
    try {
      await client.send(
        new sdk.GetItemCommand({
          TableName: tableName,
          Key: this.#key('glasswork:connect'),
          ProjectionExpression: '#k',
          ExpressionAttributeNames: { '#k': attributes.key },
        }),
      );
    } catch (cause) {
      const missing = isAwsError(cause, 'ResourceNotFoundException');
      throw new CacheStoreError(
        'E_STORE_UNAVAILABLE',
        missing
          ? `DynamoDB table "${tableName}" does not exist (in this region, for these credentials)`
          : `DynamoDB table "${tableName}" could not be read: ${cause instanceof Error ? cause.name : 'unknown error'}`,
        { store: this.name, cause },
      );
    }
  }

  /** Destroys the client the store created; a client passed in stays open. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection === undefined || this.#options.client !== undefined) return;
    const opened = await connection.catch(() => undefined);
    opened?.client.destroy();
  }

  /** Closes the store when the application shuts down. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  async #batchContext(): Promise<BatchContext> {
    const { sdk, client } = await this.#connect();
    const { tableName, attributes, consistentRead, maxValueBytes } = this.#options;
    return {
      sdk,
      client,
      tableName,
      attributes,
      consistentRead,
      maxValueBytes,
      retry: DEFAULT_BATCH_RETRY,
      request: this.#request,
    };
  }

  /** The SDK and client, loaded and created once; concurrent first calls share them. */
  #connect(): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(
        new CacheStoreError('E_STORE_CLOSED', `store "${this.name}" is closed`, {
          store: this.name,
        }),
      );
    }
    this.#connection ??= this.#open().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #open(): Promise<Connection> {
    const sdk = await loadDynamoDBSdk();
    const injected = this.#options.client;
    if (injected !== undefined) return { sdk, client: injected as DynamoDBClient };
    const { region, endpoint, maxAttempts, requestTimeoutMs } = this.#options.clientConfig;
    const client = new sdk.DynamoDBClient({
      ...(region !== undefined && { region }),
      ...(endpoint !== undefined && { endpoint }),
      maxAttempts,
      requestHandler: {
        connectionTimeout: requestTimeoutMs,
        requestTimeout: requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    });
    return { sdk, client };
  }

  /** Sends one request on the shared client, bounded in time, with failures coded. */
  async #send<T>(
    operation: string,
    key: string | undefined,
    send: (connection: Connection, options: SendOptions) => Promise<T>,
  ): Promise<T> {
    const connection = await this.#connect();
    return this.#request(operation, key, (options) => send(connection, options));
  }

  async #item(key: string, payload: string, ttlMs: number): Promise<Item> {
    assertKeyFits(key, this.name);
    this.#assertValueFits(key, payload);
    const encoded = await encodePayload(payload, this.#options.compressAboveBytes);
    const expiresAtMs = Date.now() + ttlMs;
    const { item, size } = buildItem(
      this.#options.attributes,
      key,
      encoded,
      expiresAtMs,
      payloadHead(payload),
    );
    if (size > MAX_ITEM_BYTES) throw tooLarge(key, this.name, size, encoded.compressed);
    return item;
  }

  /** @throws CacheLimitError `E_VALUE_TOO_LARGE` past `maxValueBytes`, before any work */
  #assertValueFits(key: string, payload: string): void {
    const limit = this.#options.maxValueBytes;
    if (payload.length * 3 <= limit) return;
    const size = Buffer.byteLength(payload);
    if (size <= limit) return;
    throw new CacheLimitError(
      'E_VALUE_TOO_LARGE',
      `entry ${quoteKey(key)} is ${size} bytes, over this store's maxValueBytes (${limit})`,
      { key, store: this.name, size, limit },
    );
  }

  /** The unexpired item under `key`: whole, only its expiry attributes, or those and its head. */
  async #liveItem(key: string, projection: 'whole' | 'expiry' | 'head'): Promise<Item | undefined> {
    if (!keyFits(key)) return undefined;
    const { attributes, tableName, consistentRead } = this.#options;
    const { Item: item } = await this.#send('GetItem', key, ({ sdk, client }, options) =>
      client.send(
        new sdk.GetItemCommand({
          TableName: tableName,
          Key: this.#key(key),
          ConsistentRead: consistentRead,
          ...(projection !== 'whole' && {
            ProjectionExpression: projection === 'head' ? '#ms, #ttl, #h' : '#ms, #ttl',
            ExpressionAttributeNames: {
              '#ms': attributes.expiresAtMs,
              '#ttl': attributes.ttl,
              ...(projection === 'head' && { '#h': HEAD_ATTRIBUTE }),
            },
          }),
        }),
        options,
      ),
    );
    return item !== undefined && isLive(item, attributes, Date.now()) ? item : undefined;
  }

  /** Deletes the live item under `key` if its payload attribute is exactly `value`. */
  async #deleteHolding(key: string, value: AttributeValue): Promise<boolean> {
    const { attributes, tableName } = this.#options;
    const expired = expiredCondition(attributes, Date.now());
    return this.#unlessConditionFails('DeleteItem', key, ({ sdk, client }, options) =>
      client.send(
        new sdk.DeleteItemCommand({
          TableName: tableName,
          Key: this.#key(key),
          ConditionExpression: `attribute_exists(#k) AND #v = :payload AND NOT ${expired.expression}`,
          ExpressionAttributeNames: { ...expired.names, '#v': attributes.value },
          ExpressionAttributeValues: { ...expired.values, ':payload': value },
        }),
        options,
      ),
    );
  }

  /** `true` once the conditional write succeeds, `false` when its condition failed. */
  async #unlessConditionFails(
    operation: string,
    key: string,
    write: (connection: Connection, options: SendOptions) => Promise<unknown>,
  ): Promise<boolean> {
    try {
      await this.#send(operation, key, write);
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  #key(key: string): Item {
    return { [this.#options.attributes.key]: { S: key } };
  }
}
