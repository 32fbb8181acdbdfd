import { reconnectDelayMs } from './options.js';

/** A node-redis client or Cluster the store creates, with the options it passes. */
export interface NodeRedisTarget {
  kind: 'node-redis';
  /** `createCluster()` when true, else `createClient()`. */
  cluster: boolean;
  options: Record<string, unknown>;
}

/**
 * The options of a node-redis client the store creates from checked URLs, with the
 * serverless defaults: commands fail at once while disconnected (`disableOfflineQueue`),
 * the TCP (and TLS) connection is given up after `connectTimeoutMs`, reconnections back off
 * as ioredis's do (50 ms doubling, capped at 1 s, with jitter) and never stop. node-redis
 * has no timeout on a command's reply (its `timeout` command option, where it exists,
 * covers only the wait to be sent): on a single server the store's stall watchdog bounds
 * replies by `commandTimeoutMs`.
 */
export function nodeRedisTarget(input: {
  url: string;
  nodes: string[] | undefined;
  connectTimeoutMs: number;
}): NodeRedisTarget {
  const socket = {
    connectTimeout: input.connectTimeoutMs,
    reconnectStrategy: (retries: number) => reconnectDelayMs(retries + 1),
  };
  const client = { disableOfflineQueue: true, socket };
  if (input.nodes === undefined) {
    return { kind: 'node-redis', cluster: false, options: { url: input.url, ...client } };
  }
  // Nodes found from the startup nodes connect with `defaults`: the first URL's TLS and credentials.
  const first = new URL(input.nodes[0]!);
  const defaults = {
    ...client,
    socket: { ...socket, ...(first.protocol === 'rediss:' ? { tls: true } : {}) },
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
  };
  return {
    kind: 'node-redis',
    cluster: true,
    options: { rootNodes: input.nodes.map((url) => ({ url })), defaults },
  };
}
