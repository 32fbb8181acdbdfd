/**
 * The one seam between the store and a Redis client library. `RedisCacheStore`, batches,
 * pattern deletes and `RedisInvalidationBus` speak only this interface; `ioredis-adapter.ts`
 * and `node-redis-adapter.ts` implement it over ioredis (5, 6) and node-redis (`redis` 4, 5),
 * on one server or a Cluster. Keys and values are sent as given; bulk replies come back as
 * bytes, so payloads round-trip exactly whatever the client's own reply settings.
 */

/** Which client library an adapter drives. */
export type RedisDriver = 'ioredis' | 'node-redis';

/** A value sent to Redis. */
export type RedisArg = string | Buffer;

/** One command of a batch: its arguments, name first, and the key that routes it on a Cluster. */
export interface BatchCommand {
  key: RedisArg;
  args: readonly RedisArg[];
}

/** The outcome of one batch command: the error it failed with, or its reply (bulk strings as bytes). */
export type BatchReply = [error: Error | null, reply: unknown];

/** One `SCAN cursor MATCH match COUNT count` call on one server: the next cursor and the keys. */
export type Scan = (cursor: string, match: string, count: number) => Promise<[string, Buffer[]]>;

/** What a subscriber connection reports to the bus. */
export interface SubscriberEvents {
  /** A message arrived on a subscribed channel. */
  message(channel: string, text: string): void;
  /** The connection dropped: messages may be lost until `ready`. */
  lost(): void;
  /** The connection is (again) ready: subscribe to every channel now. */
  ready(): void;
}

/** A second connection that only subscribes (a subscribed Redis connection sends nothing else). */
export interface RedisSubscriber {
  /** Whether it is connected and can subscribe now. */
  readonly ready: boolean;
  subscribe(channels: readonly string[]): Promise<void>;
  /** Closes it at once. */
  close(): void;
}

/** How a stall watchdog observes and drops a single-server connection. */
export interface StallHooks {
  /** Bytes read so far by the current socket, or 0 when the client does not tell. */
  bytesRead(): number;
  /** Drops the connection: pending commands fail, and a new one connects in the background. */
  drop(): void;
}

/** The commands glasswork sends, over one client (one server or a Cluster). */
export interface RedisCommands {
  readonly driver: RedisDriver;
  readonly isCluster: boolean;
  /** Whether commands can be sent now. */
  readonly ready: boolean;
  /** Whether the client has not started connecting yet (an injected client made lazily). */
  readonly idle: boolean;
  /**
   * `GETRANGE key 0 end`: empty for a missing key. As bytes, or as the text they decode to
   * (node-redis: a Buffer per reply costs it measurably more), which the caller reads again
   * with {@link getrangeBytes} unless {@link isPlainText} says it tells the same.
   */
  getrange(key: string, end: string): Promise<Buffer | string>;
  /** `GETRANGE key 0 end` as bytes. */
  getrangeBytes(key: string, end: string): Promise<Buffer>;
  /** `SET key value PX ttlMs [NX]`; resolves whether the value was written. */
  set(key: string, value: RedisArg, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  /** `UNLINK keys…` (on a Cluster, the keys must share a slot); resolves the count removed. */
  unlink(keys: readonly RedisArg[]): Promise<number>;
  /** `EXISTS key`. */
  exists(key: string): Promise<number>;
  /** `EVAL script 1 key args…`, for scripts that answer an integer. */
  evalInteger(script: string, key: string, args: readonly RedisArg[]): Promise<number>;
  /**
   * `EVALSHA sha keys args` on a single server, then `EVAL script` when the server has not
   * cached it (NOSCRIPT); bulk replies as bytes.
   */
  evalBuffers(
    script: string,
    sha: string,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<unknown>;
  /** Sends every command in as few round trips as the client allows (one per server); replies aligned. */
  batch(commands: readonly BatchCommand[]): Promise<BatchReply[]>;
  /** One SCAN function per master (the server itself when not a Cluster). */
  scanners(): Promise<Scan[]>;
  publish(channel: string, text: string): Promise<unknown>;
  /** Opens a subscriber connection on the same server or Cluster, with the same settings. */
  subscriber(events: SubscriberEvents): RedisSubscriber;
  /** The hooks of a single-server connection the store times itself; `undefined` otherwise. */
  stallHooks(): StallHooks | undefined;
  /** Starts connecting; resolves once ready (rejections are the caller's to bound and absorb). */
  connect(): Promise<unknown>;
  /** Closes gracefully once pending commands are answered. */
  quit(): Promise<unknown>;
  /** Closes at once, failing pending commands. Idempotent. */
  disconnect(): void;
  /** Listens to connection errors (listening also keeps clients from printing them). */
  onError(listener: (error: Error) => void): void;
}

/** Whether `error` is the server's NOSCRIPT answer to EVALSHA. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Whether a `SET` answered `OK` (it wrote; `SET … NX` answers nil when it did not). */
export function isOk(reply: unknown): boolean {
  return reply === 'OK';
}

/**
 * Whether a GETRANGE reply node-redis decoded as UTF-8 (`text`, for a range ending at byte
 * `end`) tells all its bytes would: it does not start with U+FFFD (the 0xFF marker of a
 * UTF-16 payload, see `payload.ts`, reads as that), and it is too short to be over the
 * limit (UTF-8 takes at most 3 bytes per UTF-16 code unit, and an invalid byte reads as one).
 */
export function isPlainText(text: string, end: number): boolean {
  return text.length * 3 <= end && text.charCodeAt(0) !== 0xfffd;
}
