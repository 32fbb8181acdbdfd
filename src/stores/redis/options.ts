import { acceptedKeys, type KeyList } from '../../shared/options.js';
import type {
  NodeRedisClientLike,
  NodeRedisClusterLike,
  RedisClientLike,
  RedisClientOptions,
  RedisClusterClientOptions,
  RedisClusterNode,
} from './client-shapes.js';

/** Timeouts of the connections a `RedisCacheStore` creates itself. */
export interface RedisStoreTimeouts {
  /**
   * The longest one Redis command may take before it fails, in milliseconds. Keep it well
   * under CacheService's `storeTimeoutMs`. On a single server, one watchdog timer per
   * connection enforces it (a connection that sends nothing for this long is dropped and
   * replaced, within 1.5× this; time our own event loop spends blocked does not count, and
   * on ioredis a reply still arriving is progress); on an ioredis Cluster, ioredis's
   * per-command timeout; on a node-redis Cluster, none (node-redis has no reply timeout:
   * the service's `storeTimeoutMs` bounds each call).
   * @default 500
   */
  commandTimeoutMs?: number;
  /**
   * The longest establishing a connection (TCP, TLS, handshake) may take, in milliseconds.
   * @default 1500
   */
  connectTimeoutMs?: number;
}

/** Limits every `RedisCacheStore` applies, whatever it connects to. */
export interface RedisStoreLimits {
  /**
   * The largest value the store writes or reads, in bytes as stored (UTF-8). `set` refuses a
   * larger payload with `E_VALUE_TOO_LARGE` (a `CacheLimitError`); a larger value another
   * writer stored reads as a miss, with an `E_PAYLOAD_TOO_LARGE` store error logged, and at
   * most this many bytes (plus one) cross the network for it. From 1 byte to 512 MiB
   * (Redis's own limit).
   * @default 16777216 (16 MiB)
   */
  maxValueBytes?: number;
}

/** ioredis options the store sets itself or refuses; see {@link RedisConnectionStoreOptions}. */
type ManagedRedisOption =
  | 'keyPrefix'
  | 'commandTimeout'
  | 'connectTimeout'
  | 'lazyConnect'
  | 'enableOfflineQueue'
  | 'maxRetriesPerRequest'
  | 'retryStrategy'
  | 'disconnectTimeout';

/**
 * Connects to one Redis server by `url` and/or any ioredis options (`host`, `port`,
 * `password`, `tls`, `sentinels`…). The connection opens on first use.
 */
export interface RedisConnectionStoreOptions
  extends RedisStoreTimeouts,
    RedisStoreLimits,
    Omit<RedisClientOptions, ManagedRedisOption> {
  /**
   * `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. Options given
   * alongside apply as well.
   */
  url?: string;
  /**
   * The client library the store loads: ioredis (`npm install ioredis`) takes the ioredis
   * options given alongside; for node-redis see {@link RedisNodeRedisStoreOptions}.
   * @default 'ioredis'
   */
  driver?: 'ioredis';
  /**
   * Queue commands while disconnected instead of failing them at once. Queued commands
   * make callers wait during an outage.
   * @default false
   */
  enableOfflineQueue?: boolean;
  /**
   * How many reconnections a command in flight during a disconnect waits through before
   * it fails; `null` waits forever.
   * @default 0 (it fails at once, and the cache fails open)
   */
  maxRetriesPerRequest?: number | null;
  /**
   * Returns the delay in milliseconds before reconnection attempt `times`, or a non-number
   * to stop reconnecting.
   * @default 50 ms doubling per attempt, capped at 1000 ms, plus up to 100 ms of jitter; never gives up
   */
  retryStrategy?: (times: number) => unknown;
  /**
   * How long a closing connection waits for the server's side of the TCP close before it
   * is destroyed, in milliseconds.
   * @default the command timeout
   */
  disconnectTimeout?: number;
  /** Not supported: ioredis does not apply it to SCAN patterns. Use CacheService's `keyPrefix`. */
  keyPrefix?: never;
  /** Use `commandTimeoutMs`. */
  commandTimeout?: never;
  /** Use `connectTimeoutMs`. */
  connectTimeout?: never;
  /** The connection always opens on first use. */
  lazyConnect?: never;
  /** Not with connection options: pass `client` alone. */
  client?: never;
  /** Not with connection options: pass `cluster` (and `clusterOptions`) instead. */
  cluster?: never;
}

/** Options of each node connection of a Cluster the store creates. */
export type RedisClusterNodeOptions = Omit<
  NonNullable<RedisClusterClientOptions['redisOptions']>,
  'keyPrefix' | 'commandTimeout' | 'connectTimeout' | 'lazyConnect'
>;

/** Connects to a Redis Cluster from a list of startup nodes. The connections open on first use. */
export interface RedisClusterStoreOptions extends RedisStoreTimeouts, RedisStoreLimits {
  /**
   * Startup nodes (`'redis://host:port'`, a port, or `{ host, port }`); the other nodes are
   * discovered.
   */
  cluster: RedisClusterNode[];
  /**
   * ioredis Cluster options. Unless set here: no offline queue (`enableOfflineQueue: false`),
   * reconnection backoff as for a single server (`clusterRetryStrategy`), and on each node
   * connection (`redisOptions`) both timeouts, `maxRetriesPerRequest: 1` and
   * `disconnectTimeout` equal to the command timeout.
   */
  clusterOptions?: Omit<RedisClusterClientOptions, 'redisOptions'> & {
    redisOptions?: RedisClusterNodeOptions;
  };
  /**
   * The client library the store loads; for node-redis see {@link RedisNodeRedisStoreOptions}.
   * @default 'ioredis'
   */
  driver?: 'ioredis';
  /** Not with `cluster`: pass `client` alone. */
  client?: never;
  /** Not with `cluster`: startup nodes can be URLs. */
  url?: never;
}

/**
 * Connects with node-redis (`npm install redis`, 4 or 5) to one server (`url`) or a Cluster
 * (`cluster`), with the same serverless defaults as the ioredis forms: no offline queue
 * (`disableOfflineQueue`), `socket.connectTimeout`, capped reconnection backoff, and
 * replies bounded by `commandTimeoutMs` on a single server. For other node-redis options,
 * create the client yourself and pass `{ client }`.
 * @example new RedisCacheStore({ url: process.env.REDIS_URL!, driver: 'node-redis' });
 */
export interface RedisNodeRedisStoreOptions extends RedisStoreTimeouts, RedisStoreLimits {
  /** Load node-redis (the `redis` package) instead of ioredis. */
  driver: 'node-redis';
  /**
   * One server: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS.
   * Give `url` or `cluster`.
   */
  url?: string;
  /**
   * A Cluster's startup nodes as URLs (the other nodes are discovered and connected with
   * the first URL's credentials and TLS). Give `url` or `cluster`.
   */
  cluster?: string[];
  /** Not with `driver`: the client you pass is detected. */
  client?: never;
}

/**
 * Uses a client you created, as you configured it (its own timeouts and offline queue
 * apply): an ioredis `Redis` or `Cluster`, or a node-redis `createClient()` or
 * `createCluster()` (`redis` 4 or 5); the store tells which. One not connected yet is
 * connected on first use. The store never closes it.
 */
export interface RedisClientStoreOptions extends RedisStoreLimits {
  /**
   * The client to use. ioredis: its `keyPrefix` option must be unset. node-redis: not in
   * `legacyMode` (4).
   */
  client: RedisClientLike | NodeRedisClientLike | NodeRedisClusterLike;
  /** Not with `client`. */
  url?: never;
  /** Not with `client`. */
  cluster?: never;
  /** Not with `client`: the client library is detected. */
  driver?: never;
  /** Not with `client`: set `commandTimeout` on the client. */
  commandTimeoutMs?: never;
  /** Not with `client`: set `connectTimeout` on the client. */
  connectTimeoutMs?: never;
}

/**
 * Options of `RedisCacheStore`: `{ url }` and/or ioredis options, `{ cluster: nodes }`,
 * `{ url | cluster, driver: 'node-redis' }`, or `{ client }`.
 */
export type RedisCacheStoreOptions =
  | RedisConnectionStoreOptions
  | RedisClusterStoreOptions
  | RedisNodeRedisStoreOptions
  | RedisClientStoreOptions;

/** Default delay before reconnection attempt `times`, in milliseconds. */
export function reconnectDelayMs(times: number): number {
  return Math.min(50 * 2 ** Math.min(Math.max(times, 1) - 1, 5), 1000) + Math.random() * 100;
}

const TIMEOUT_KEYS = {
  commandTimeoutMs: true,
  connectTimeoutMs: true,
} as const satisfies KeyList<RedisStoreTimeouts>;

const LIMIT_KEYS = {
  maxValueBytes: true,
} as const satisfies KeyList<RedisStoreLimits>;

/** Options ioredis 6 added; the store loads whichever ioredis the application installed. */
const IOREDIS6_NODE_KEYS = ['protocol', 'replyMapping'];
const IOREDIS6_CLUSTER_KEYS = ['himportFieldsets'];

/** Every key of the ioredis options of a Cluster node (`clusterOptions.redisOptions`). */
const NODE_KEYS = {
  Connector: true,
  autoPipeliningIgnoredCommands: true,
  autoResendUnfulfilledCommands: true,
  autoResubscribe: true,
  blockingTimeout: true,
  blockingTimeoutGrace: true,
  clientInfoTag: true,
  commandQueue: true,
  connectionName: true,
  db: true,
  disableClientInfo: true,
  disconnectTimeout: true,
  enableAutoPipelining: true,
  enableReadyCheck: true,
  enableTLSForSentinelMode: true,
  failoverDetector: true,
  family: true,
  keepAlive: true,
  maxLoadingRetryTime: true,
  maxRetriesPerRequest: true,
  monitor: true,
  name: true,
  natMap: true,
  noDelay: true,
  offlineQueue: true,
  password: true,
  preferredSlaves: true,
  reconnectOnError: true,
  role: true,
  scripts: true,
  sentinelCommandTimeout: true,
  sentinelMaxConnections: true,
  sentinelPassword: true,
  sentinelReconnectStrategy: true,
  sentinelRetryStrategy: true,
  sentinelTLS: true,
  sentinelUsername: true,
  socketTimeout: true,
  stringNumbers: true,
  tls: true,
  updateSentinels: true,
  username: true,
  showFriendlyErrorStack: true,
} as const satisfies KeyList<RedisClusterNodeOptions>;

/**
 * The keys the `{ url }` / ioredis-options form accepts. The managed ioredis options
 * (`keyPrefix`, `commandTimeout`…) are listed too: they are refused with their own message.
 */
export const CONNECTION_OPTION_KEYS: readonly string[] = [
  .../* @__PURE__ */ acceptedKeys({
    ...NODE_KEYS,
    ...TIMEOUT_KEYS,
    ...LIMIT_KEYS,
    enableOfflineQueue: true,
    host: true,
    path: true,
    port: true,
    readOnly: true,
    retryStrategy: true,
    sentinels: true,
    url: true,
    driver: true,
    keyPrefix: true,
    commandTimeout: true,
    connectTimeout: true,
    lazyConnect: true,
    client: false,
    cluster: false,
  } as const satisfies KeyList<RedisConnectionStoreOptions>),
  ...IOREDIS6_NODE_KEYS,
  ...IOREDIS6_CLUSTER_KEYS,
];

/** The keys of `clusterOptions.redisOptions`. */
export const CLUSTER_NODE_OPTION_KEYS: readonly string[] = [
  ...Object.keys(NODE_KEYS),
  ...IOREDIS6_NODE_KEYS,
];

/** The keys the `{ cluster }` form accepts. */
export const CLUSTER_STORE_OPTION_KEYS: readonly string[] = /* @__PURE__ */ acceptedKeys({
  cluster: true,
  clusterOptions: true,
  driver: true,
  ...TIMEOUT_KEYS,
  ...LIMIT_KEYS,
  client: false,
  url: false,
} as const satisfies KeyList<RedisClusterStoreOptions>);

/** The keys the node-redis form (`driver: 'node-redis'`) accepts. */
export const NODE_REDIS_OPTION_KEYS: readonly string[] = /* @__PURE__ */ acceptedKeys({
  driver: true,
  url: true,
  cluster: true,
  ...TIMEOUT_KEYS,
  ...LIMIT_KEYS,
  client: false,
} as const satisfies KeyList<RedisNodeRedisStoreOptions>);

/** The keys of `clusterOptions`; `keyPrefix` and `lazyConnect` are refused with their own message. */
export const CLUSTER_OPTION_KEYS: readonly string[] = [
  ...Object.keys({
    autoPipeliningIgnoredCommands: true,
    clusterNodeRetryStrategy: true,
    clusterRetryStrategy: true,
    dnsLookup: true,
    enableAutoPipelining: true,
    enableOfflineQueue: true,
    enableReadyCheck: true,
    maxRedirections: true,
    natMap: true,
    redisOptions: true,
    resolveSrv: true,
    retryDelayOnClusterDown: true,
    retryDelayOnFailover: true,
    retryDelayOnMoved: true,
    retryDelayOnTryAgain: true,
    scaleReads: true,
    scripts: true,
    shardedSubscribers: true,
    slotsRefreshInterval: true,
    slotsRefreshTimeout: true,
    useSRVRecords: true,
    showFriendlyErrorStack: true,
  } as const satisfies KeyList<NonNullable<RedisClusterStoreOptions['clusterOptions']>>),
  'keyPrefix',
  'lazyConnect',
  ...IOREDIS6_CLUSTER_KEYS,
];

/** The keys the `{ client }` form accepts; the others are refused with their own message. */
export const CLIENT_STORE_OPTION_KEYS: readonly string[] = /* @__PURE__ */ acceptedKeys({
  client: true,
  ...LIMIT_KEYS,
  url: false,
  cluster: false,
  driver: false,
  commandTimeoutMs: false,
  connectTimeoutMs: false,
} as const satisfies KeyList<RedisClientStoreOptions>);

/**
 * The ioredis options, passed through, that set timers (in milliseconds); checked against
 * the timer limit like the store's own timeouts.
 */
export const IOREDIS_DURATION_KEYS: readonly string[] = [
  'disconnectTimeout',
  'socketTimeout',
  'blockingTimeoutGrace',
  'sentinelCommandTimeout',
  'maxLoadingRetryTime',
  'slotsRefreshTimeout',
  'slotsRefreshInterval',
  'retryDelayOnFailover',
  'retryDelayOnClusterDown',
  'retryDelayOnTryAgain',
  'retryDelayOnMoved',
];
