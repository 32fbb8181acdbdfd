import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { CacheArgumentError, describeValue } from '../../errors.js';
import { reconnectDelayMs } from './options.js';

/** What a `RedisCacheStore` connects to, with its defaults applied. */
export type RedisTarget = { limits: RedisLimits; maxValueBytes: number } & (
  | { kind: 'client'; client: Redis | Cluster }
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
    const limits = {
      readyTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS + DEFAULT_COMMAND_TIMEOUT_MS,
      quitTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
      commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
    };
    return { kind: 'client', client: checkClient(options.client), limits, maxValueBytes };
  }

  const commandTimeout = timeoutMs(options, 'commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS);
  const connectTimeout = timeoutMs(options, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS);
  const connection = { connectTimeout, disconnectTimeout: commandTimeout };
  // Connecting includes the handshake commands, each bounded by the command timeout.
  const limits = {
    readyTimeoutMs: connectTimeout + commandTimeout,
    quitTimeoutMs: commandTimeout,
    commandTimeoutMs: commandTimeout,
  };

  if ('cluster' in options) {
    const nodes = options.cluster;
    if (!Array.isArray(nodes) || nodes.length === 0) {
      invalid(
        `cluster must be a non-empty array of startup nodes ('redis://host:port', a port or { host, port }), got ${describeValue(nodes)}`,
      );
    }
    const clusterOptions = (options.clusterOptions ?? {}) as ClusterOptions;
    rejectKeyPrefix(clusterOptions.keyPrefix, 'clusterOptions.keyPrefix');
    rejectKeyPrefix(
      clusterOptions.redisOptions?.keyPrefix,
      'clusterOptions.redisOptions.keyPrefix',
    );
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

function invalid(message: string): never {
  throw new CacheArgumentError('E_INVALID_OPTION', message, { store: 'redis' });
}

function rejectKeyPrefix(value: unknown, name: string): void {
  if (value === undefined || value === '') return;
  invalid(
    `${name} (an ioredis option) is not supported: ioredis does not apply it to SCAN patterns, so delByPattern would miss keys; set keyPrefix on CacheService instead, got ${describeValue(value)}`,
  );
}

function timeoutMs(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    invalid(`${name} must be a positive whole number of milliseconds, got ${describeValue(value)}`);
  }
  return value;
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

function checkClient(client: unknown): Redis | Cluster {
  const candidate = client as { isCluster?: unknown; sendCommand?: unknown; options?: unknown };
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof candidate.isCluster !== 'boolean' ||
    typeof candidate.sendCommand !== 'function'
  ) {
    invalid(`client must be an ioredis Redis or Cluster instance, got ${describeValue(client)}`);
  }
  rejectKeyPrefix(
    (candidate.options as { keyPrefix?: unknown } | undefined)?.keyPrefix,
    'keyPrefix of client',
  );
  return client as Redis | Cluster;
}
