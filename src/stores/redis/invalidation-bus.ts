import type {
  InvalidationBus,
  InvalidationHandlers,
  InvalidationMessage,
} from '../../bus/types.js';
import { CacheArgumentError, CacheStoreError, describeValue } from '../../errors.js';
import type { RedisSubscriber } from './commands.js';
import { RedisConnection } from './connection.js';
import type { RedisCacheStoreOptions } from './options.js';
import { resolveRedisOptions } from './resolve-options.js';

/** Where every channel name starts unless `channelPrefix` says otherwise. */
export const DEFAULT_CHANNEL_PREFIX = 'glasswork:l1:';

/** Options of the bus itself, next to the connection options. */
export interface RedisInvalidationBusChannel {
  /**
   * What channel names start with; the scope (the service's `keyPrefix`, or nothing)
   * follows, so services with different prefixes never hear each other.
   * @default 'glasswork:l1:'
   */
  channelPrefix?: string;
}

type WithChannel<T> = T extends unknown
  ? Omit<T, 'maxValueBytes'> & RedisInvalidationBusChannel & { maxValueBytes?: never }
  : never;

/**
 * How {@link RedisInvalidationBus} connects: `{ url }` (and ioredis options), `{ cluster }`,
 * `{ url | cluster, driver: 'node-redis' }` or `{ client }` (ioredis or node-redis), as for
 * `RedisCacheStore`, with the same serverless defaults.
 */
export type RedisInvalidationBusOptions = WithChannel<RedisCacheStoreOptions>;

/**
 * An {@link InvalidationBus} over Redis pub/sub: `PUBLISH` on one connection (the client
 * passed in, or one the bus opens) and `SUBSCRIBE` on a second (a duplicate of the first,
 * with the same settings), both opened on first use with the client library loaded then. Without an offline queue, a publish while disconnected fails at
 * once (the service logs and counts it). On Redis Cluster, plain `PUBLISH` reaches every
 * node, so the subscriber may sit on any of them. Every disconnect and every completed
 * (re)subscription is reported as a gap, so the services drop their copies.
 *
 * @example
 * const bus = new RedisInvalidationBus({ url: process.env.REDIS_URL });
 * const cache = new CacheService(store, { defaultTTL: 300, keyPrefix: 'app', l1: { bus } });
 */
export class RedisInvalidationBus implements InvalidationBus {
  readonly #connection: RedisConnection;
  readonly #channelPrefix: string;
  /** Handlers per channel. */
  readonly #channels = new Map<string, Set<InvalidationHandlers>>();
  #subscriber: Promise<RedisSubscriber> | undefined;
  #closed = false;

  constructor(options: RedisInvalidationBusOptions) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new CacheArgumentError(
        'E_INVALID_OPTION',
        `RedisInvalidationBus options must be an object ({ url }, { cluster } or { client }), got ${describeValue(options)}`,
      );
    }
    const { channelPrefix = DEFAULT_CHANNEL_PREFIX, ...connection } = options as Record<
      string,
      unknown
    >;
    if (typeof channelPrefix !== 'string' || channelPrefix === '') {
      throw new CacheArgumentError(
        'E_INVALID_OPTION',
        `channelPrefix must be a non-empty string, got ${describeValue(channelPrefix)}`,
      );
    }
    if ('maxValueBytes' in connection) {
      throw new CacheArgumentError(
        'E_INVALID_OPTION',
        'maxValueBytes is a RedisCacheStore option; RedisInvalidationBus sends no values',
      );
    }
    this.#channelPrefix = channelPrefix;
    this.#connection = new RedisConnection(resolveRedisOptions(connection));
  }

  /** The channel a scope's messages travel on. */
  channel(scope: string): string {
    return this.#channelPrefix + scope;
  }

  async publish(scope: string, message: InvalidationMessage): Promise<void> {
    if (this.#closed) throw closed();
    const client = this.#connection.client ?? (await this.#connection.open());
    await client.publish(this.channel(scope), encode(message));
  }

  subscribe(scope: string, handlers: InvalidationHandlers): () => void {
    if (this.#closed) return noop;
    const channel = this.channel(scope);
    let set = this.#channels.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#channels.set(channel, set);
    }
    set.add(handlers);
    const subscribing = this.#openSubscriber();
    // A subscriber already connected takes the new channel now; otherwise its ready does.
    subscribing
      .then((subscriber) => (subscriber.ready ? this.#listen(subscriber, [channel]) : undefined))
      .catch(noop);
    return () => {
      set.delete(handlers);
    };
  }

  /** Closes both connections (a client passed in is left open). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) {
      await subscriber.then((client) => client.close(), noop);
    }
    await this.#connection.close();
  }

  #openSubscriber(): Promise<RedisSubscriber> {
    this.#subscriber ??= this.#connection
      .open()
      // The first connection failed, but the client keeps reconnecting: open the subscriber
      // anyway, so it connects (and subscribes) once the server is back.
      .catch((error: unknown) => this.#connection.client ?? Promise.reject(error))
      .then((main) => {
        if (this.#closed) throw closed();
        const subscriber: RedisSubscriber = main.subscriber({
          message: (channel, text) => this.#deliver(channel, text),
          lost: () => this.#gap([...this.#channels.keys()]),
          ready: () => {
            this.#listen(subscriber, [...this.#channels.keys()]).catch(noop);
          },
        });
        return subscriber;
      });
    this.#subscriber.catch(() => {
      this.#subscriber = undefined;
    });
    return this.#subscriber;
  }

  /** Subscribes to `channels`, then reports a gap on each: copies read before may be stale. */
  async #listen(subscriber: RedisSubscriber, channels: string[]): Promise<void> {
    if (channels.length === 0 || this.#closed) return;
    await subscriber.subscribe(channels);
    this.#gap(channels);
  }

  #gap(channels: string[]): void {
    for (const channel of channels) {
      for (const handlers of this.#channels.get(channel) ?? []) handlers.gap();
    }
  }

  #deliver(channel: string, text: string): void {
    const set = this.#channels.get(channel);
    if (set === undefined || set.size === 0) return;
    const message = decode(text);
    if (message === undefined) return;
    for (const handlers of set) handlers.message(message);
  }
}

/** The wire format: `{"o":origin,"k":[keys],"p":[patterns]}`. */
function encode(message: InvalidationMessage): string {
  return JSON.stringify({ o: message.origin, k: message.keys, p: message.patterns });
}

function decode(text: string): InvalidationMessage | undefined {
  try {
    const parsed = JSON.parse(text) as { o?: unknown; k?: unknown; p?: unknown };
    if (typeof parsed.o !== 'string') return undefined;
    return {
      origin: parsed.o,
      keys: Array.isArray(parsed.k) ? parsed.k.filter((k) => typeof k === 'string') : [],
      patterns: Array.isArray(parsed.p) ? parsed.p.filter((p) => typeof p === 'string') : [],
    };
  } catch {
    return undefined;
  }
}

function closed(): CacheStoreError {
  return new CacheStoreError('E_STORE_CLOSED', 'RedisInvalidationBus is closed', {
    store: 'redis',
  });
}

function noop(): void {}
