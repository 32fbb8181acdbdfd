import { CacheStoreError } from '../../errors.js';
import { valueWithin } from '../../shared/timers.js';
import type { RedisCommands } from './commands.js';
import { IoredisCommands } from './ioredis-adapter.js';
import { loadIoredis } from './load-ioredis.js';
import { loadNodeRedis } from './load-node-redis.js';
import { type NodeRedisClient, NodeRedisCommands } from './node-redis-adapter.js';
import type { RedisTarget } from './resolve-options.js';
import { StallWatchdog } from './stall-watchdog.js';

/** The client the store sends commands through, whichever library it is. */
export type RedisClient = RedisCommands;

/**
 * The store's connection: opened on first use (the client library loaded then), shared by
 * concurrent first calls, reconnected by the client after failures, and closed only if the
 * store created it.
 */
export class RedisConnection {
  readonly #target: RedisTarget;
  /** The client, once the first connection attempt has settled; it reconnects on its own. */
  #ready: RedisClient | undefined;
  #opening: Promise<RedisClient> | undefined;
  /** The client the store created, to close. */
  #owned: RedisClient | undefined;
  #closed = false;
  #lastError: Error | undefined;
  /** Times the commands of a single-server connection the store created. */
  #watchdog: StallWatchdog | undefined;

  constructor(target: RedisTarget) {
    this.#target = target;
  }

  /** The client, when one is usable without waiting. */
  get client(): RedisClient | undefined {
    return this.#ready;
  }

  /** The stall watchdog of the current client, when the store times its commands. */
  get watchdog(): StallWatchdog | undefined {
    return this.#watchdog;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The last connection error reported by a client the store created. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Resolves the client, creating and connecting it on the first call. */
  open(): Promise<RedisClient> {
    if (this.#closed) return Promise.reject(closedError());
    this.#opening ??= this.#open();
    return this.#opening;
  }

  /**
   * Closes the connection the store created: QUIT, then a hard disconnect if QUIT has not
   * finished within the command timeout. A client passed in is left open.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = undefined;
    this.#watchdog?.stop();
    const client = this.#owned;
    if (client === undefined) return;
    const quitting = client.ready ? client.quit().catch(() => {}) : undefined;
    if (quitting) await valueWithin(quitting, this.#target.limits.quitTimeoutMs);
    client.disconnect();
  }

  async #open(): Promise<RedisClient> {
    const target = this.#target;
    if (target.kind === 'client') {
      const client =
        target.driver === 'ioredis'
          ? new IoredisCommands(target.client, false)
          : new NodeRedisCommands(target.client, false);
      if (client.idle) await this.#connect(client);
      else this.#use(client);
      return client;
    }
    const client = await this.#create(target);
    if (this.#closed) {
      client.disconnect();
      throw closedError();
    }
    this.#owned = client;
    const hooks = client.stallHooks();
    if (hooks !== undefined) {
      // A stalled connection (a paused server, a half-open socket after a Lambda freeze) is
      // dropped: the pending commands fail, the client reconnects in the background, and
      // calls fail fast meanwhile.
      this.#watchdog = new StallWatchdog(
        target.limits.commandTimeoutMs,
        hooks.drop,
        hooks.bytesRead,
      );
    }
    // Listening keeps the client from printing every failed reconnection; errors reach callers.
    client.onError((error: Error) => {
      this.#lastError = error;
    });
    await this.#connect(client);
    return client;
  }

  /** Loads the client library and creates the client the target describes (not connected yet). */
  async #create(target: Exclude<RedisTarget, { kind: 'client' }>): Promise<RedisClient> {
    if (target.kind === 'node-redis') {
      const { createClient, createCluster } = await loadNodeRedis();
      const create = target.cluster ? createCluster : createClient;
      return new NodeRedisCommands(create(target.options) as NodeRedisClient, true);
    }
    const { Redis, Cluster } = await loadIoredis();
    const client =
      target.kind === 'cluster'
        ? new Cluster(target.nodes, target.options)
        : target.url === undefined
          ? new Redis(target.options)
          : new Redis(target.url, target.options);
    return new IoredisCommands(client, true);
  }

  /**
   * Waits for the first connection, at most `readyTimeoutMs`. The client is usable
   * afterwards even when that attempt failed: the client keeps reconnecting, and calls fail
   * fast until it succeeds.
   */
  async #connect(client: RedisClient): Promise<void> {
    const connecting = client.connect();
    connecting.catch(() => {});
    const { readyTimeoutMs } = this.#target.limits;
    try {
      const ready = await valueWithin(
        connecting.then(() => true),
        readyTimeoutMs,
      );
      if (!ready) {
        throw new CacheStoreError(
          'E_STORE_TIMEOUT',
          `Redis did not become ready within ${readyTimeoutMs} ms of connecting`,
          { store: 'redis' },
        );
      }
    } finally {
      this.#use(client);
    }
  }

  #use(client: RedisClient): RedisClient {
    if (!this.#closed) this.#ready = client;
    return client;
  }
}

/** The error every call made after `close()` rejects with. */
export function closedError(key?: string): CacheStoreError {
  return new CacheStoreError('E_STORE_CLOSED', 'RedisCacheStore is closed', {
    store: 'redis',
    key,
  });
}
