import type { Cluster, Redis } from 'ioredis';
import { CacheStoreError } from '../../errors.js';
import { valueWithin } from '../../shared/timers.js';
import { loadIoredis } from './load-ioredis.js';
import type { RedisTarget } from './resolve-options.js';
import { StallWatchdog } from './stall-watchdog.js';

/** An ioredis client: one server or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * The store's connection: opened on first use (ioredis loaded then), shared by concurrent
 * first calls, reconnected by ioredis after failures, and closed only if the store
 * created it.
 */
export class RedisConnection {
  readonly #target: RedisTarget;
  /** The client, once the first connection attempt has settled; ioredis reconnects it. */
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
    const quitting = client.status === 'ready' ? client.quit().catch(() => {}) : undefined;
    if (quitting) await valueWithin(quitting, this.#target.limits.quitTimeoutMs);
    if (client.status !== 'end') client.disconnect();
  }

  async #open(): Promise<RedisClient> {
    const target = this.#target;
    if (target.kind === 'client') {
      if (target.client.status === 'wait') await this.#connect(target.client);
      else this.#use(target.client);
      return target.client;
    }
    const { Redis, Cluster } = await loadIoredis();
    if (this.#closed) throw closedError();
    const client =
      target.kind === 'cluster'
        ? new Cluster(target.nodes, target.options)
        : target.url === undefined
          ? new Redis(target.options)
          : new Redis(target.url, target.options);
    this.#owned = client;
    if (!client.isCluster) {
      // A stalled socket (a paused server, a half-open connection after a Lambda freeze) is
      // destroyed: ioredis fails the pending commands and reconnects in the background,
      // and calls fail fast meanwhile.
      const server = client as Redis;
      this.#watchdog = new StallWatchdog(
        target.limits.commandTimeoutMs,
        () => server.stream?.destroy(),
        () => server.stream?.bytesRead ?? 0,
      );
    }
    // Listening keeps ioredis from printing every failed reconnection; errors reach callers.
    client.on('error', (error: Error) => {
      this.#lastError = error;
    });
    await this.#connect(client);
    return client;
  }

  /**
   * Waits for the first connection, at most `readyTimeoutMs`. The client is usable
   * afterwards even when that attempt failed: ioredis keeps reconnecting, and calls fail
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
