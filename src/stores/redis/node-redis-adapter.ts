import type { NodeRedisClientLike, NodeRedisClusterLike } from './client-shapes.js';
import {
  type BatchCommand,
  type BatchReply,
  isNoScript,
  isOk,
  type RedisArg,
  type RedisCommands,
  type RedisSubscriber,
  type Scan,
  type StallHooks,
  type SubscriberEvents,
} from './commands.js';
import {
  type ClusterConnection,
  type Connection,
  destroy,
  noop,
  openSubscriber,
} from './node-redis-connection.js';

/** A node-redis client or Cluster, as the adapter calls it. */
export type NodeRedisClient = NodeRedisClientLike | NodeRedisClusterLike;

/** Whether `client` is a node-redis Cluster (`createCluster()`). */
export function isNodeRedisCluster(client: object): boolean {
  return (
    'masters' in client && typeof (client as { nodeClient?: unknown }).nodeClient === 'function'
  );
}

/**
 * {@link RedisCommands} over node-redis (`redis` 4 or 5), `createClient()` or
 * `createCluster()`. node-redis writes every command issued in one tick of the event loop
 * in one socket write per server, so a batch is its commands issued together. Every call
 * names its reply types (v5 `typeMapping`, bulk strings as bytes where asked, v4
 * `returnBuffers`), so a client's own type mapping (RESP3 included) changes nothing here.
 */
export class NodeRedisCommands implements RedisCommands {
  readonly driver = 'node-redis';
  readonly isCluster: boolean;
  #client: Connection | ClusterConnection;
  readonly #owned: boolean;
  /** The per-call options that make bulk replies Buffers. */
  readonly #bytes: object;
  /** The per-call options of every other command: node-redis's own reply types, whatever the client's mapping. */
  readonly #plain: object | undefined;
  readonly #errorListeners: ((error: Error) => void)[] = [];

  constructor(client: NodeRedisClient, owned: boolean) {
    this.#client = client as unknown as Connection | ClusterConnection;
    this.#owned = owned;
    this.isCluster = isNodeRedisCluster(client);
    // node-redis 5 has `withTypeMapping`; 4 takes `returnBuffers`. 36 is RESP's `$` (bulk string).
    const mapped = typeof (client as { withTypeMapping?: unknown }).withTypeMapping === 'function';
    this.#bytes = mapped ? { typeMapping: { 36: Buffer } } : { returnBuffers: true };
    this.#plain = mapped ? { typeMapping: {} } : undefined;
  }

  get ready(): boolean {
    const client = this.#client;
    return this.isCluster ? client.isOpen : client.isReady === true;
  }

  get idle(): boolean {
    return !this.#client.isOpen;
  }

  /** Sends `args` routed by `key`, bulk replies as bytes when `bytes`. */
  #send(
    key: RedisArg,
    args: readonly RedisArg[],
    bytes = false,
    readonly = false,
  ): Promise<unknown> {
    const options = bytes ? this.#bytes : this.#plain;
    const client = this.#client;
    return this.isCluster
      ? (client as ClusterConnection).sendCommand(key, readonly, args, options)
      : (client as Connection).sendCommand(args, options);
  }

  getrange(key: string, end: string): Promise<Buffer | string> {
    return this.#send(key, ['GETRANGE', key, '0', end], false, true) as Promise<string>;
  }

  getrangeBytes(key: string, end: string): Promise<Buffer> {
    return this.#send(key, ['GETRANGE', key, '0', end], true, true) as Promise<Buffer>;
  }

  set(key: string, value: RedisArg, ttlMs: number, onlyIfAbsent = false): Promise<boolean> {
    const args = ['SET', key, value, 'PX', String(ttlMs)];
    if (onlyIfAbsent) args.push('NX');
    return this.#send(key, args).then(isOk);
  }

  unlink(keys: readonly RedisArg[]): Promise<number> {
    return this.#send(keys[0]!, ['UNLINK', ...keys]) as Promise<number>;
  }

  exists(key: string): Promise<number> {
    return this.#send(key, ['EXISTS', key], false, true) as Promise<number>;
  }

  evalInteger(script: string, key: string, args: readonly RedisArg[]): Promise<number> {
    return this.#send(key, ['EVAL', script, '1', key, ...args]) as Promise<number>;
  }

  evalBuffers(
    script: string,
    sha: string,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<unknown> {
    const rest = [String(keys.length), ...keys, ...args];
    const key = keys[0]!;
    return this.#send(key, ['EVALSHA', sha, ...rest], true).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return this.#send(key, ['EVAL', script, ...rest], true);
    });
  }

  batch(commands: readonly BatchCommand[]): Promise<BatchReply[]> {
    // Issued in one tick: one write per server.
    return Promise.all(
      commands.map((command) =>
        this.#send(command.key, command.args, true).then(
          (reply): BatchReply => [null, reply],
          (error: unknown): BatchReply => [asError(error), undefined],
        ),
      ),
    );
  }

  async scanners(): Promise<Scan[]> {
    const client = this.#client;
    const servers = this.isCluster
      ? await Promise.all(
          (client as ClusterConnection).masters.map((master) =>
            (client as ClusterConnection).nodeClient(master),
          ),
        )
      : [client as Connection];
    const bytes = this.#bytes;
    return servers.map(
      (server) => (cursor, match, count) =>
        server
          .sendCommand(['SCAN', cursor, 'MATCH', match, 'COUNT', String(count)], bytes)
          .then((reply) => {
            const [next, keys] = reply as [Buffer, Buffer[]];
            return [next.toString(), keys];
          }),
    );
  }

  publish(channel: string, text: string): Promise<unknown> {
    return this.#client.publish(channel, text);
  }

  subscriber(events: SubscriberEvents): RedisSubscriber {
    return openSubscriber(this.#client.duplicate(), this.isCluster, events);
  }

  stallHooks(): StallHooks | undefined {
    if (!this.#owned || this.isCluster) return undefined;
    // node-redis keeps its socket private: a stalled client is replaced by a fresh copy
    // (pending commands fail), which connects in the background.
    return { bytesRead: () => 0, drop: () => this.#replace() };
  }

  #replace(): void {
    const stalled = this.#client as Connection;
    const next = stalled.duplicate();
    for (const listener of this.#errorListeners) next.on('error', listener);
    this.#client = next;
    next.connect().catch(noop);
    destroy(stalled);
  }

  /**
   * Connects, rejecting at the first connection error as ioredis does (node-redis's own
   * `connect()` waits through its reconnection attempts); the client keeps reconnecting.
   */
  connect(): Promise<unknown> {
    const client = this.#client;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => settle(() => reject(error));
      const settle = (then: () => void) => {
        client.off('error', fail);
        then();
      };
      client.on('error', fail);
      client.connect().then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  quit(): Promise<unknown> {
    const client = this.#client;
    return client.close ? client.close() : client.quit!();
  }

  disconnect(): void {
    destroy(this.#client);
  }

  onError(listener: (error: Error) => void): void {
    this.#errorListeners.push(listener);
    this.#client.on('error', listener);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
