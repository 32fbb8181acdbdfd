import type { Cluster, Redis } from 'ioredis';
import { CacheStoreError } from '../../errors.js';
import { loadIoredis } from './load-ioredis.js';
import type { RedisTarget } from './resolve-options.js';

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

  constructor(target: RedisTarget) {
    this.#target = target;
  }

  /** The client, when one is usable without waiting. */
  get client(): RedisClient | undefined {
    return this.#ready;
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
    const target = this.#target;
    const client = this.#owned;
    if (client === undefined || target.kind === 'client') return;
    if (client.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, target.quitTimeoutMs);
      });
      await Promise.race([client.quit().catch(() => {}), bound]);
      clearTimeout(timer);
    }
    if (client.status !== 'end') client.disconnect();
  }

  async #open(): Promise<RedisClient> {
    const target = this.#target;
    if (target.kind === 'client') {
      try {
        if (target.client.status === 'wait') await target.client.connect();
      } finally {
        this.#use(target.client);
      }
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
    // Listening keeps ioredis from printing every failed reconnection; errors reach callers.
    client.on('error', (error: Error) => {
      this.#lastError = error;
    });
    try {
      await client.connect();
    } finally {
      // Usable even when the first attempt failed: ioredis keeps reconnecting, and calls
      // fail fast until it succeeds.
      this.#use(client);
    }
    return client;
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
