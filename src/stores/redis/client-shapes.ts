/**
 * The parts of ioredis that glasswork's public types mention, described structurally so
 * that the declarations compile without ioredis installed (`skipLibCheck: false`) and
 * accept ioredis 5 and 6 alike. The store passes these options to ioredis unchanged; see
 * ioredis's `RedisOptions` and `ClusterOptions` for what each one does.
 */

/** Options of an ioredis connection that the store passes through. */
export interface RedisClientOptions {
  host?: string;
  port?: number;
  /** A Unix socket path. */
  path?: string;
  /** 4 or 6. */
  family?: number;
  username?: string;
  password?: string;
  db?: number;
  /** TLS options (`tls.ConnectionOptions`); `{}` turns TLS on with the defaults. */
  tls?: object;
  connectionName?: string;
  keepAlive?: number;
  noDelay?: boolean;
  socketTimeout?: number;
  enableReadyCheck?: boolean;
  enableAutoPipelining?: boolean;
  autoPipeliningIgnoredCommands?: string[];
  autoResubscribe?: boolean;
  autoResendUnfulfilledCommands?: boolean;
  reconnectOnError?: ((error: Error) => boolean | 1 | 2) | null;
  readOnly?: boolean;
  stringNumbers?: boolean;
  maxLoadingRetryTime?: number;
  showFriendlyErrorStack?: boolean;
  disableClientInfo?: boolean;
  clientInfoTag?: string;
  scripts?: Record<string, { lua: string; numberOfKeys?: number; readOnly?: boolean }>;
  /** Sentinel: the master's name. */
  name?: string;
  sentinels?: { host?: string; port?: number; family?: number }[];
  role?: 'master' | 'slave';
  sentinelUsername?: string;
  sentinelPassword?: string;
  sentinelTLS?: object;
  enableTLSForSentinelMode?: boolean;
  sentinelRetryStrategy?: (times: number) => unknown;
  sentinelCommandTimeout?: number;
  preferredSlaves?: unknown;
  updateSentinels?: boolean;
  /** Address translation: an object of `'host:port': { host, port }`, or a function. */
  natMap?: object;
  /** A custom connector class (ioredis's `Connector`). */
  Connector?: unknown;
  sentinelReconnectStrategy?: unknown;
  sentinelMaxConnections?: unknown;
  offlineQueue?: unknown;
  monitor?: unknown;
  failoverDetector?: unknown;
  commandQueue?: unknown;
  blockingTimeoutGrace?: unknown;
  blockingTimeout?: unknown;
}

/** A Cluster startup node: `'redis://host:port'`, a port, or `{ host, port }`. */
export type RedisClusterNode = string | number | { host?: string; port?: number };

/** Options of an ioredis Cluster that the store passes through. */
export interface RedisClusterClientOptions {
  clusterRetryStrategy?: ((times: number, reason?: Error) => unknown) | null;
  clusterNodeRetryStrategy?: ((times: number, reason?: Error) => unknown) | null;
  showFriendlyErrorStack?: unknown;
  shardedSubscribers?: unknown;
  enableOfflineQueue?: boolean;
  enableReadyCheck?: boolean;
  /** `'master'`, `'slave'`, `'all'`, or a function choosing a node. */
  scaleReads?: string | ((...args: never[]) => unknown);
  maxRedirections?: number;
  retryDelayOnFailover?: number;
  retryDelayOnClusterDown?: number;
  retryDelayOnTryAgain?: number;
  retryDelayOnMoved?: number;
  slotsRefreshTimeout?: number;
  slotsRefreshInterval?: number;
  useSRVRecords?: boolean;
  resolveSrv?: (
    hostname: string,
    callback: (
      error: Error | null | undefined,
      records?: { name: string; port: number; priority: number; weight: number }[],
    ) => void,
  ) => void;
  dnsLookup?: (
    hostname: string,
    callback: (error: Error | null | undefined, address: string, family?: number) => void,
  ) => void;
  natMap?: object;
  enableAutoPipelining?: boolean;
  autoPipeliningIgnoredCommands?: string[];
  scripts?: Record<string, { lua: string; numberOfKeys?: number; readOnly?: boolean }>;
  /** Options of each node connection (ioredis leaves out the ones a Cluster sets itself). */
  redisOptions?: Omit<RedisClientOptions, 'host' | 'port' | 'path' | 'sentinels' | 'readOnly'> & {
    commandTimeout?: number;
    connectTimeout?: number;
    disconnectTimeout?: number;
    maxRetriesPerRequest?: number | null;
  };
}

/**
 * An ioredis `Redis` or `Cluster` instance, typed by what the store checks and calls on it
 * (every real client of ioredis 5 or 6 has these).
 */
export interface RedisClientLike {
  /** `true` for a `Cluster`. */
  readonly isCluster: boolean;
  /** The connection status, e.g. `'wait'` before `connect()`, `'ready'`. */
  readonly status: string;
  connect(...args: never[]): Promise<unknown>;
  quit(...args: never[]): Promise<unknown>;
  sendCommand(...args: never[]): unknown;
  getBuffer(...args: never[]): Promise<unknown>;
  set(...args: never[]): Promise<unknown>;
  unlink(...args: never[]): Promise<unknown>;
  exists(...args: never[]): Promise<unknown>;
  eval(...args: never[]): Promise<unknown>;
}

/**
 * A node-redis client (`createClient()` of `redis` 4 or 5), typed by what the store checks
 * and calls on it, so the declarations compile without node-redis installed.
 */
export interface NodeRedisClientLike {
  /** Whether the client has been connected (`connect()`) and not closed. */
  readonly isOpen: boolean;
  /** Whether the connection is up and commands are sent now. */
  readonly isReady: boolean;
  connect(...args: never[]): Promise<unknown>;
  duplicate(...args: never[]): unknown;
  sendCommand(...args: never[]): Promise<unknown>;
}

/** A node-redis Cluster (`createCluster()` of `redis` 4 or 5), typed like {@link NodeRedisClientLike}. */
export interface NodeRedisClusterLike {
  /** Whether the Cluster has been connected (`connect()`) and not closed. */
  readonly isOpen: boolean;
  /** The masters, for SCAN on each. */
  readonly masters: readonly unknown[];
  nodeClient(...args: never[]): unknown;
  connect(...args: never[]): Promise<unknown>;
  duplicate(...args: never[]): unknown;
  sendCommand(...args: never[]): Promise<unknown>;
}
