import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import { describeValue } from '../../errors.js';
import { durationProblem, MAX_DURATION_MS, unknownKeyProblem } from '../../shared/options.js';
import { checkClient, type InjectedClient, invalid, rejectKeyPrefix } from './check-client.js';
import { type NodeRedisTarget, nodeRedisTarget } from './node-redis-options.js';
import {
  CLIENT_STORE_OPTION_KEYS,
  CLUSTER_NODE_OPTION_KEYS,
  CLUSTER_OPTION_KEYS,
  CLUSTER_STORE_OPTION_KEYS,
  CONNECTION_OPTION_KEYS,
  IOREDIS_DURATION_KEYS,
  NODE_REDIS_OPTION_KEYS,
  reconnectDelayMs,
} from './options.js';

/** What a `RedisCacheStore` connects to, with its defaults applied. */
export type RedisTarget = { limits: RedisLimits; maxValueBytes: number } & (
  | ({ kind: 'client' } & InjectedClient)
  | NodeRedisTarget
  | { kind: 'server'; url: string | undefined; options: RedisOptions }
  | { kind: 'cluster'; nodes: ClusterNode[]; options: ClusterOptions }
);

/** How long the store waits for the first connection, a command and QUIT, in milliseconds. */
export interface RedisLimits {
  readyTimeoutMs: number;
  quitTimeoutMs: number;
  /** Enforced by a stall watchdog on single-server connections, by ioredis on Cluster nodes. */
  commandTimeoutMs: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_CONNECT_TIMEOUT_MS = 1500;
/**
 * Far above any sensible cache entry (DynamoDB holds 400 KB, memcached 1 MiB by default),
 * yet small enough to cross a VPC link well within the default command timeout and to
 * fit a 128 MB Lambda several times over.
 */
const DEFAULT_MAX_VALUE_BYTES = 16 * 1024 * 1024;
/** Redis's largest string (`proto-max-bulk-len`), about V8's longest string. */
const MAX_VALUE_BYTES = 512 * 1024 * 1024;

/**
 * Checks `RedisCacheStore` options and applies the serverless-safe defaults.
 * @throws CacheArgumentError `E_INVALID_OPTION` naming the first bad option.
 */
export function resolveRedisOptions(input: unknown): RedisTarget {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid(
      `RedisCacheStore options must be an object ({ url }, { cluster }, { client } or ioredis options), got ${describeValue(input)}`,
    );
  }
  const options = input as Record<string, unknown>;
  const forms = ['client', 'cluster', 'url'].filter((name) => name in options);
  if (forms.length > 1) invalid(`pass one of client, cluster or url, got ${forms.join(' and ')}`);
  rejectKeyPrefix(options.keyPrefix, 'keyPrefix');
  for (const name of ['commandTimeout', 'connectTimeout'] as const) {
    if (options[name] !== undefined) {
      invalid(`${name} is not accepted: use ${name}Ms, got ${describeValue(options[name])}`);
    }
  }

  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  if (
    typeof maxValueBytes !== 'number' ||
    !Number.isInteger(maxValueBytes) ||
    maxValueBytes < 1 ||
    maxValueBytes > MAX_VALUE_BYTES
  ) {
    invalid(
      `maxValueBytes must be a whole number of bytes from 1 to ${MAX_VALUE_BYTES} (512 MiB), got ${describeValue(maxValueBytes)}`,
    );
  }

  if ('client' in options) {
    for (const name of ['commandTimeoutMs', 'connectTimeoutMs']) {
      if (options[name] !== undefined) {
        invalid(
          `${name} applies only to connections the store creates; set ${name.slice(0, -2)} on the client you pass instead, got ${describeValue(options[name])}`,
        );
      }
    }
    refuseUnknownKeys(
      options,
      CLIENT_STORE_OPTION_KEYS,
      'RedisCacheStore options ({ client })',
      HINTS.client,
    );
    const limits = {
      readyTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS + DEFAULT_COMMAND_TIMEOUT_MS,
      quitTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
      commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
    };
    return { kind: 'client', ...checkClient(options.client), limits, maxValueBytes };
  }

  const driver = options.driver ?? 'ioredis';
  if (driver !== 'ioredis' && driver !== 'node-redis') {
    invalid(`driver must be 'ioredis' or 'node-redis', got ${describeValue(driver)}`);
  }
  const nodeRedis = driver === 'node-redis';
  refuseUnknownKeys(
    options,
    nodeRedis
      ? NODE_REDIS_OPTION_KEYS
      : 'cluster' in options
        ? CLUSTER_STORE_OPTION_KEYS
        : CONNECTION_OPTION_KEYS,
    nodeRedis
      ? "RedisCacheStore options ({ driver: 'node-redis' })"
      : 'cluster' in options
        ? 'RedisCacheStore options ({ cluster })'
        : 'RedisCacheStore options',
    nodeRedis ? HINTS.nodeRedis : 'cluster' in options ? HINTS.cluster : HINTS.server,
  );
  const commandTimeout = timeoutMs(options, 'commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS);
  const connectTimeout = timeoutMs(options, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS);
  const connection = { connectTimeout, disconnectTimeout: commandTimeout };
  // Connecting includes the handshake commands, each bounded by the command timeout.
  const limits = {
    // Each fits a timer; their sum may not.
    readyTimeoutMs: Math.min(connectTimeout + commandTimeout, MAX_DURATION_MS),
    quitTimeoutMs: commandTimeout,
    commandTimeoutMs: commandTimeout,
  };

  if (nodeRedis) {
    const nodes = 'cluster' in options ? options.cluster : undefined;
    if (nodes === undefined) checkUrl(options.url);
    else if (!Array.isArray(nodes) || nodes.length === 0) {
      invalid(`cluster must be a non-empty array of redis:// URLs, got ${describeValue(nodes)}`);
    } else nodes.forEach(checkUrl);
    return {
      ...nodeRedisTarget({
        url: options.url as string,
        nodes: nodes as string[] | undefined,
        connectTimeoutMs: connectTimeout,
      }),
      limits,
      maxValueBytes,
    };
  }

  if ('cluster' in options) {
    const nodes = options.cluster;
    if (!Array.isArray(nodes) || nodes.length === 0) {
      invalid(
        `cluster must be a non-empty array of startup nodes ('redis://host:port', a port or { host, port }), got ${describeValue(nodes)}`,
      );
    }
    const clusterOptions = checkClusterOptions(options.clusterOptions);
    return {
      kind: 'cluster',
      nodes: nodes as ClusterNode[],
      limits,
      maxValueBytes,
      options: {
        enableOfflineQueue: false,
        clusterRetryStrategy: reconnectDelayMs,
        ...clusterOptions,
        redisOptions: {
          ...connection,
          commandTimeout,
          maxRetriesPerRequest: 1,
          ...clusterOptions.redisOptions,
        },
        lazyConnect: true,
      },
    };
  }

  const { url, commandTimeoutMs, connectTimeoutMs, maxValueBytes: _, ...redisOptions } = options;
  if ('url' in options) checkUrl(url);
  checkIoredisDurations(redisOptions, '');
  return {
    kind: 'server',
    url: url as string | undefined,
    limits,
    maxValueBytes,
    options: {
      enableOfflineQueue: false,
      retryStrategy: reconnectDelayMs,
      // Commands in flight when the connection drops fail at once (the cache fails open)
      // instead of waiting for a reconnection. Timeouts come from the stall watchdog.
      maxRetriesPerRequest: 0,
      ...connection,
      ...(redisOptions as RedisOptions),
      lazyConnect: true,
    },
  };
}

/** Where an unknown key of each form may belong instead. */
const HINTS = {
  server:
    'ioredis options go next to url, not nested; for an ioredis option this version does not know, pass a client you created ({ client })',
  cluster: 'options of the node connections go in clusterOptions.redisOptions',
  clusterOptions:
    'for an ioredis option this version does not know, pass a Cluster you created ({ client })',
  client: 'configure the client you pass instead',
  nodeRedis: 'for other node-redis options, pass a client you created ({ client })',
};

function refuseUnknownKeys(
  options: object,
  known: readonly string[],
  where: string,
  hint?: string,
): void {
  const problem = unknownKeyProblem(options, known, where, hint);
  if (problem !== undefined) invalid(problem);
}

/** Checks `clusterOptions` and its `redisOptions`: keys, timers and the refused options. */
function checkClusterOptions(input: unknown): ClusterOptions {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid(
      `clusterOptions must be an object of ioredis Cluster options, got ${describeValue(input)}`,
    );
  }
  const clusterOptions = input as ClusterOptions;
  rejectKeyPrefix(clusterOptions.keyPrefix, 'clusterOptions.keyPrefix');
  refuseUnknownKeys(clusterOptions, CLUSTER_OPTION_KEYS, 'clusterOptions', HINTS.clusterOptions);
  checkIoredisDurations(clusterOptions, 'clusterOptions.');
  const nodeOptions: unknown = clusterOptions.redisOptions;
  if (nodeOptions === undefined) return clusterOptions;
  if (typeof nodeOptions !== 'object' || nodeOptions === null || Array.isArray(nodeOptions)) {
    invalid(
      `clusterOptions.redisOptions must be an object of ioredis options, got ${describeValue(nodeOptions)}`,
    );
  }
  const node = nodeOptions as Record<string, unknown>;
  rejectKeyPrefix(node.keyPrefix, 'clusterOptions.redisOptions.keyPrefix');
  for (const name of ['commandTimeout', 'connectTimeout'] as const) {
    if (node[name] !== undefined) {
      invalid(
        `clusterOptions.redisOptions.${name} is not accepted: use ${name}Ms, got ${describeValue(node[name])}`,
      );
    }
  }
  refuseUnknownKeys(
    node,
    [...CLUSTER_NODE_OPTION_KEYS, 'keyPrefix', 'lazyConnect'],
    'clusterOptions.redisOptions',
    HINTS.clusterOptions,
  );
  checkIoredisDurations(node, 'clusterOptions.redisOptions.');
  return clusterOptions;
}

/** ioredis sets timers from these options: each must fit one. */
function checkIoredisDurations(options: object, path: string): void {
  for (const name of IOREDIS_DURATION_KEYS) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const problem = durationProblem(value, `${path}${name}`);
    if (problem !== undefined) invalid(problem);
  }
}

function timeoutMs(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name] ?? fallback;
  const problem = durationProblem(value, name, 1);
  if (problem !== undefined) invalid(problem);
  return value as number;
}

function checkUrl(url: unknown): void {
  let protocol: string | undefined;
  try {
    protocol = typeof url === 'string' ? new URL(url).protocol : undefined;
  } catch {}
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    // Credentials stay out of the message.
    const shown = typeof url === 'string' ? url.replace(/\/\/[^/@]*@/, '//***@') : url;
    invalid(`url must be a redis:// or rediss:// URL, got ${describeValue(shown)}`);
  }
}
