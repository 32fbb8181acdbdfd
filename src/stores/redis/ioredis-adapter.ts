import type { ChainableCommander, Cluster, Redis } from 'ioredis';
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
import { keySlot } from './key-slot.js';

/** An ioredis client: one server or a Cluster. */
export type IoredisClient = Redis | Cluster;

/**
 * {@link RedisCommands} over ioredis 5 or 6. A batch is one pipeline on a single server;
 * on a Cluster, one pipeline per master, keys grouped by the node that serves their slot.
 */
export class IoredisCommands implements RedisCommands {
  readonly driver = 'ioredis';
  readonly isCluster: boolean;
  readonly #client: IoredisClient;
  /** Whether the store created the client (and so times and drops its connection). */
  readonly #owned: boolean;

  constructor(client: IoredisClient, owned: boolean) {
    this.#client = client;
    this.#owned = owned;
    this.isCluster = client.isCluster;
  }

  get ready(): boolean {
    return this.#client.status === 'ready';
  }

  get idle(): boolean {
    return this.#client.status === 'wait';
  }

  getrange(key: string, end: string): Promise<Buffer | string> {
    return this.#client.getrangeBuffer(key, '0', end);
  }

  getrangeBytes(key: string, end: string): Promise<Buffer> {
    return this.#client.getrangeBuffer(key, '0', end);
  }

  set(key: string, value: RedisArg, ttlMs: number, onlyIfAbsent = false): Promise<boolean> {
    const client = this.#client;
    const reply = onlyIfAbsent
      ? client.set(key, value, 'PX', ttlMs, 'NX')
      : client.set(key, value, 'PX', ttlMs);
    return reply.then(isOk);
  }

  unlink(keys: readonly RedisArg[]): Promise<number> {
    return this.#client.unlink(...keys);
  }

  exists(key: string): Promise<number> {
    return this.#client.exists(key);
  }

  evalInteger(script: string, key: string, args: readonly RedisArg[]): Promise<number> {
    return this.#client.eval(script, 1, key, ...args) as Promise<number>;
  }

  evalBuffers(
    script: string,
    sha: string,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<unknown> {
    const rest = [keys.length, ...keys, ...args];
    return this.#client.callBuffer('EVALSHA', [sha, ...rest]).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return this.#client.callBuffer('EVAL', [script, ...rest]);
    });
  }

  batch(commands: readonly BatchCommand[]): Promise<BatchReply[]> {
    const client = this.#client;
    if (!client.isCluster) {
      return exec(
        client.pipeline(),
        commands.map((_, at) => at),
        commands,
      );
    }
    const cluster = client as Cluster;
    const byNode = new Map<string, number[]>();
    commands.forEach((command, at) => {
      const slot = keySlot(Buffer.from(command.key));
      // ioredis pipelines on a Cluster must stay within one slot's node group.
      const node = cluster.slots[slot]?.join(',') ?? `slot:${slot}`;
      const group = byNode.get(node);
      if (group === undefined) byNode.set(node, [at]);
      else group.push(at);
    });
    const replies = new Array<BatchReply>(commands.length);
    return Promise.all(
      [...byNode.values()].map(async (positions) => {
        const groupReplies = await exec(cluster.pipeline(), positions, commands);
        positions.forEach((at, i) => {
          replies[at] = groupReplies[i]!;
        });
      }),
    ).then(() => replies);
  }

  async scanners(): Promise<Scan[]> {
    const client = this.#client;
    const nodes = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
    return nodes.map(
      (node) => (cursor, match, count) =>
        node
          .scanBuffer(cursor, 'MATCH', match, 'COUNT', count)
          .then(([next, keys]) => [next.toString(), keys]),
    );
  }

  publish(channel: string, text: string): Promise<unknown> {
    return this.#client.publish(channel, text);
  }

  subscriber(events: SubscriberEvents): RedisSubscriber {
    const main = this.#client;
    // Subscriptions are renewed by the bus on every ready, so it can report each as a gap.
    const client = main.isCluster
      ? main.duplicate()
      : (main as Redis).duplicate({ lazyConnect: true, autoResubscribe: false });
    client.on('error', noop);
    client.on('message', (channel: string, text: string) => events.message(channel, text));
    client.on('close', () => events.lost());
    client.on('ready', () => events.ready());
    client.connect().catch(noop);
    return {
      get ready() {
        return client.status === 'ready';
      },
      subscribe: (channels) => client.subscribe(...channels).then(noop),
      close: () => client.disconnect(),
    };
  }

  stallHooks(): StallHooks | undefined {
    if (!this.#owned || this.#client.isCluster) return undefined;
    // A stalled socket is destroyed: ioredis fails the pending commands and reconnects.
    const server = this.#client as Redis;
    return {
      bytesRead: () => server.stream?.bytesRead ?? 0,
      drop: () => server.stream?.destroy(),
    };
  }

  connect(): Promise<unknown> {
    return this.#client.connect();
  }

  quit(): Promise<unknown> {
    return this.#client.quit();
  }

  disconnect(): void {
    if (this.#client.status !== 'end') this.#client.disconnect();
  }

  onError(listener: (error: Error) => void): void {
    this.#client.on('error', listener);
  }
}

/** Queues the commands at `positions` on `pipeline` and sends it; replies in that order. */
async function exec(
  pipeline: ChainableCommander,
  positions: readonly number[],
  commands: readonly BatchCommand[],
): Promise<BatchReply[]> {
  for (const at of positions) {
    const [name, ...args] = commands[at]!.args;
    pipeline.callBuffer(String(name), args);
  }
  const replies = await pipeline.exec();
  if (replies === null) throw new Error('the pipeline was discarded');
  return replies as BatchReply[];
}

function noop(): void {}
