import { CacheArgumentError, CacheError, CacheStoreError, describeValue } from '../../errors.js';
import type { CacheStore, StoreEntry } from '../types.js';
import { readMany, readManyScripted, unlinkMany, writeMany } from './batch.js';
import { isPlainText } from './commands.js';
import { closedError, type RedisClient, RedisConnection } from './connection.js';
import type { RedisCacheStoreOptions } from './options.js';
import { decodePayload, encodePayload, isWellFormed } from './payload.js';
import { resolveRedisOptions } from './resolve-options.js';
import { deleteByPattern } from './scan-delete.js';
import { oversizedRead, oversizedWrite } from './value-limit.js';

/**
 * Sets KEYS[1] to ARGV[3] for ARGV[4] ms when its value starts with ARGV[1] (the head in
 * UTF-8) or ARGV[2] (in the UTF-16 form); returns 1 when it did.
 */
const SET_IF_HEAD = `local v = redis.call('GETRANGE', KEYS[1], 0, math.max(#ARGV[1], #ARGV[2]) - 1)
if v ~= '' and (string.sub(v, 1, #ARGV[1]) == ARGV[1] or string.sub(v, 1, #ARGV[2]) == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) return 1 end return 0`;

/** Deletes KEYS[1] when it holds exactly ARGV[1]; returns the number of keys removed. */
const DEL_IF_EQUALS =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end return 0";

/**
 * A store on Redis or Redis Cluster through ioredis (5, 6) or node-redis (`redis` 4, 5),
 * optional peers loaded on first use (`npm install ioredis`, or `redis` with
 * `driver: 'node-redis'`), or through a client of either you pass in (detected). Entries are plain Redis strings with a server-side
 * TTL (`SET … PX`), at most `maxValueBytes` (16 MiB) each; `delByPattern` uses SCAN and
 * UNLINK on every master, never KEYS.
 *
 * Connections the store creates are serverless-safe by default: nothing connects until
 * the first call (or `connect()`); commands fail at once while disconnected (no offline queue) and time
 * out after `commandTimeoutMs` (500 ms); connecting gives up after `connectTimeoutMs`
 * (1500 ms); the client reconnects in the background with capped backoff. Each default can
 * be changed through the options. Call `close()` at shutdown.
 *
 * @example
 * const store = new RedisCacheStore({ url: process.env.REDIS_URL! });
 * const cache = new CacheService(store, { defaultTTL: 300, keyPrefix: 'myapp' });
 * @example
 * new RedisCacheStore({ cluster: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] });
 * new RedisCacheStore({ url: process.env.REDIS_URL!, driver: 'node-redis' }); // npm install redis
 * new RedisCacheStore({ client: existingIoredisOrNodeRedisClient }); // left open by close()
 */
export class RedisCacheStore implements CacheStore {
  readonly name = 'redis';
  /**
   * The bound on single-key calls over connections the store created: the first waits at
   * most `connectTimeoutMs + commandTimeoutMs`, later ones `commandTimeoutMs`. Unknown for
   * a `client` passed in (its own options apply).
   */
  readonly callTimeoutMs: number | undefined;
  readonly #connection: RedisConnection;
  readonly #maxValueBytes: number;
  /** Sent as GETRANGE's inclusive end: one byte more than allowed tells an oversized value. */
  readonly #readEnd: string;
  /**
   * Decodes a GETRANGE reply; one byte over `maxValueBytes` means the value is larger. Text
   * that cannot tell the bytes (see `isPlainText`) is read again as bytes.
   */
  readonly #decodeBounded = (
    stored: Buffer | string,
    key: string,
    client: RedisClient,
  ): string | undefined | Promise<string | undefined> => {
    if (typeof stored === 'string' && !isPlainText(stored, this.#maxValueBytes)) {
      return this.#bytes('get', key, client, this.#readEnd, (bytes) =>
        this.#decodeBounded(bytes, key, client),
      );
    }
    if (stored.length > this.#maxValueBytes) throw oversizedRead(key, this.#maxValueBytes);
    return decodePayload(stored);
  };
  /** Set once the server has refused `EVAL`. */
  #scriptsRefused = false;

  /**
   * Checks the options; connects nothing yet.
   * @throws CacheArgumentError `E_INVALID_OPTION` naming the first bad option.
   */
  constructor(options: RedisCacheStoreOptions) {
    const target = resolveRedisOptions(options);
    // A Cluster may redirect and retry a command past this bound: the service's guard stays on.
    const timed = target.kind === 'server' || (target.kind === 'node-redis' && !target.cluster);
    this.callTimeoutMs = timed ? target.limits.readyTimeoutMs : undefined;
    this.#connection = new RedisConnection(target);
    this.#maxValueBytes = target.maxValueBytes;
    this.#readEnd = String(target.maxValueBytes);
  }

  /**
   * Reads at most `maxValueBytes + 1` bytes with GETRANGE (as fast as GET, measured), so an
   * oversized value costs one bounded reply and reads as a miss (`E_PAYLOAD_TOO_LARGE`,
   * logged by the service) instead of holding up the shared connection.
   */
  get(key: string): Promise<string | undefined> {
    return this.#run(
      'get',
      key,
      (client) => client.getrange(key, this.#readEnd),
      this.#decodeBounded,
    );
  }

  /** @throws CacheLimitError `E_VALUE_TOO_LARGE` over `maxValueBytes` */
  set(key: string, payload: string, ttlMs: number): Promise<void> {
    const value = encodePayload(payload);
    const tooLarge = oversizedWrite(key, value, this.#maxValueBytes);
    if (tooLarge) return Promise.reject(tooLarge);
    return this.#run('set', key, (client) => client.set(key, value, ttlMs), ignore);
  }

  /** @throws CacheLimitError `E_VALUE_TOO_LARGE` over `maxValueBytes` */
  setIfAbsent(key: string, payload: string, ttlMs: number): Promise<boolean> {
    const value = encodePayload(payload);
    const tooLarge = oversizedWrite(key, value, this.#maxValueBytes);
    if (tooLarge) return Promise.reject(tooLarge);
    return this.#run('setIfAbsent', key, (client) => client.set(key, value, ttlMs, true), same);
  }

  del(key: string): Promise<boolean> {
    return this.#run('del', key, (client) => client.unlink([key]), isPositive);
  }

  /**
   * One atomic script (GET, compare, UNLINK), so it is safe across processes. Where the
   * server refuses scripts (an ACL without `EVAL`, or scripting disabled), it falls back
   * to a plain `UNLINK` from then on, which is what a store without `delIfEquals` gets.
   */
  delIfEquals(key: string, payload: string): Promise<boolean> {
    const value = encodePayload(payload);
    const send = (client: RedisClient): Promise<number> => {
      if (this.#scriptsRefused) return client.unlink([key]);
      return client.evalInteger(DEL_IF_EQUALS, key, [value]).catch((error: unknown) => {
        if (!isScriptRefusal(error)) throw error;
        this.#scriptsRefused = true;
        return client.unlink([key]);
      });
    };
    return this.#run('delIfEquals', key, send, isPositive);
  }

  has(key: string): Promise<boolean> {
    return this.#run('has', key, (client) => client.exists(key), isPositive);
  }

  /**
   * One round trip on a single server (a script: STRLEN of every key, then MGET), one per
   * master on a Cluster (a pipeline of GETRANGEs per master, keys grouped by hash slot).
   * Replies are bounded like `get`'s: a value over `maxValueBytes` reads as `undefined`.
   * Where the server refuses scripts, a single server gets the GETRANGE pipeline too.
   */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    const limit = this.#maxValueBytes;
    return this.#runMany('getMany', keys, (client) => {
      if (client.isCluster || this.#scriptsRefused) return readMany(client, keys, limit);
      return readManyScripted(client, keys, limit).catch((error: unknown) => {
        if (!isScriptRefusal(error)) throw error;
        this.#scriptsRefused = true;
        return readMany(client, keys, limit);
      });
    });
  }

  /**
   * `SET … PX` per entry in one pipeline (one per master on a Cluster), without MULTI.
   * @throws CacheLimitError `E_VALUE_TOO_LARGE` over `maxValueBytes`, before sending anything
   */
  setMany(entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const values = entries.map((entry) => encodePayload(entry.payload));
    for (let i = 0; i < entries.length; i++) {
      const tooLarge = oversizedWrite(entries[i]!.key, values[i]!, this.#maxValueBytes);
      if (tooLarge) return Promise.reject(tooLarge);
    }
    return this.#runMany(
      'setMany',
      entries.map((entry) => entry.key),
      (client) => writeMany(client, entries, values),
    );
  }

  /** One UNLINK of every key (on a Cluster, one per hash slot, pipelined per master). */
  delMany(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#runMany('delMany', keys, (client) => unlinkMany(client, keys));
  }

  /** GETRANGE of the bytes that can hold `length` characters: the rest never travels. */
  getHead(key: string, length: number): Promise<string | undefined> {
    const lastByte = String(Math.max(0, 3 * length));
    return this.#run(
      'getHead',
      key,
      (client) => client.getrange(key, lastByte),
      (stored, _, client) => {
        const head = (bytes: Buffer | string) => decodePayload(bytes)?.slice(0, length);
        // No size limit here: only a UTF-16 payload's marker needs the bytes.
        const plain = typeof stored !== 'string' || isPlainText(stored, Number.POSITIVE_INFINITY);
        if (plain) return head(stored);
        return this.#bytes('getHead', key, client, lastByte, head);
      },
    );
  }

  /**
   * One atomic script (GETRANGE, compare, SET). Where the server refuses scripts, it falls
   * back to a plain `SET`, which is what a store without `setIfHead` gets.
   * @throws CacheLimitError `E_VALUE_TOO_LARGE` over `maxValueBytes`
   */
  setIfHead(key: string, head: string, payload: string, ttlMs: number): Promise<boolean> {
    const value = encodePayload(payload);
    const tooLarge = oversizedWrite(key, value, this.#maxValueBytes);
    if (tooLarge) return Promise.reject(tooLarge);
    const heads = headForms(head);
    const send = (client: RedisClient): Promise<number> => {
      const plainSet = () => client.set(key, value, ttlMs).then(() => 1);
      if (this.#scriptsRefused) return plainSet();
      const args = [heads[0], heads[1], value, String(ttlMs)];
      return client.evalInteger(SET_IF_HEAD, key, args).catch((error: unknown) => {
        if (!isScriptRefusal(error)) throw error;
        this.#scriptsRefused = true;
        return plainSet();
      });
    };
    return this.#run('setIfHead', key, send, isPositive);
  }

  delByPattern(pattern: string): Promise<number> {
    // Each SCAN and UNLINK is timed on its own: a long walk is not a stall.
    return this.#run(
      'delByPattern',
      pattern,
      (client) => deleteByPattern(client, pattern, this.#connection.watchdog),
      same,
      false,
    );
  }

  /**
   * Opens the connection now rather than on first use, e.g. during a Lambda's init phase.
   * Optional: the first call connects otherwise.
   * @throws CacheStoreError when Redis cannot be reached; the store keeps reconnecting.
   */
  async connect(): Promise<void> {
    try {
      await this.#connection.open();
    } catch (error) {
      throw this.#failure(error, 'connect', undefined, false);
    }
  }

  /**
   * Closes the connections the store created (QUIT, then a hard disconnect if QUIT takes
   * longer than `commandTimeoutMs`), so the process can exit. A `client` passed in stays
   * open. Later calls reject with `E_STORE_CLOSED`.
   */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** The same as {@link close}, for frameworks that call it on shutdown. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Sends one operation, connecting first if needed, and maps the reply or the failure. */
  #run<R, T>(
    operation: string,
    key: string,
    send: (client: RedisClient) => Promise<R>,
    map: (reply: R, key: string, client: RedisClient) => T | Promise<T>,
    watched = true,
  ): Promise<T> {
    if (!isWellFormed(key)) return Promise.reject(malformed(operation, key));
    const connection = this.#connection;
    const client = connection.client;
    if (client === undefined) {
      return connection.open().then(
        () => this.#run(operation, key, send, map, watched),
        (error: unknown) => {
          throw this.#failure(error, operation, key, false);
        },
      );
    }
    const reply = send(client);
    const watchdog = watched ? connection.watchdog : undefined;
    if (watchdog === undefined) {
      return reply.then(
        (value) => map(value, key, client),
        (error: unknown) => {
          throw this.#failure(error, operation, key, false);
        },
      );
    }
    watchdog.sent();
    const stalls = watchdog.stalls;
    return reply.then(
      (value) => {
        watchdog.answered();
        return map(value, key, client);
      },
      (error: unknown) => {
        watchdog.answered();
        throw this.#failure(error, operation, key, watchdog.stalls !== stalls);
      },
    );
  }

  /** Reads `key` again as bytes (`GETRANGE key 0 end`) and maps them; failures as {@link #run}'s. */
  #bytes<T>(
    operation: string,
    key: string,
    client: RedisClient,
    end: string,
    map: (bytes: Buffer) => T | Promise<T>,
  ): Promise<T> {
    return client.getrangeBytes(key, end).then(map, (error: unknown) => {
      throw this.#failure(error, operation, key, false);
    });
  }

  /** {@link #run} for a batch: every key is checked, the first names the call in errors. */
  #runMany<R>(
    operation: string,
    keys: readonly string[],
    send: (client: RedisClient) => Promise<R>,
  ): Promise<R> {
    const bad = keys.find((key) => !isWellFormed(key));
    if (bad !== undefined) return Promise.reject(malformed(operation, bad));
    return this.#run(operation, keys[0]!, send, same);
  }

  #failure(
    error: unknown,
    operation: string,
    key: string | undefined,
    stalled: boolean,
  ): CacheError {
    if (error instanceof CacheError) return error;
    const connection = this.#connection;
    if (connection.closed) return closedError(key);
    const message = error instanceof Error ? error.message : String(error);
    const cause = withoutArguments(error);
    if (stalled || message === 'Command timed out' || isTimeoutError(error)) {
      return new CacheStoreError('E_STORE_TIMEOUT', `Redis did not answer ${operation} in time`, {
        key,
        store: this.name,
        cause,
      });
    }
    const lastError = connection.lastError;
    const detail =
      lastError !== undefined && connection.client?.ready !== true
        ? ` (last connection error: ${lastError.message})`
        : '';
    return new CacheStoreError(
      'E_STORE_UNAVAILABLE',
      `Redis ${operation} failed: ${message}${detail}`,
      { key, store: this.name, cause },
    );
  }
}

function malformed(operation: string, key: string): CacheArgumentError {
  const pattern = operation === 'delByPattern';
  return new CacheArgumentError(
    pattern ? 'E_INVALID_PATTERN' : 'E_INVALID_KEY',
    `${pattern ? 'pattern' : 'key'} must be well-formed Unicode (no lone surrogates) to be stored in Redis, got ${describeValue(key)}`,
    { key, store: 'redis' },
  );
}

/**
 * ioredis attaches the failed command to reply errors, arguments included (a whole payload
 * for SET): keep only the name and message, so no value reaches logs or events.
 */
function withoutArguments(error: unknown): unknown {
  if (!(error instanceof Error) || !('command' in error)) return error;
  const copy = new Error(error.message);
  copy.name = error.name;
  return copy;
}

/** `head` as a stored value starts: in UTF-8, and in the UTF-16 form (see `payload.ts`). */
function headForms(head: string): [Buffer, Buffer] {
  const utf16 = Buffer.allocUnsafe(1 + head.length * 2);
  utf16[0] = 0xff;
  utf16.write(head, 1, 'utf16le');
  return [Buffer.from(head, 'utf8'), utf16];
}

const ignore = (): void => {};
const same = <T>(value: T): T => value;
const isPositive = (count: number): boolean => count > 0;

/** node-redis's timeout (a user's `timeout` or `abortSignal` command option on a client passed in). */
function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A server that will not run scripts: an ACL denial, or no scripting at all. */
function isScriptRefusal(error: unknown): boolean {
  return error instanceof Error && /^(NOPERM|ERR unknown command)/.test(error.message);
}
