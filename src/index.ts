export { CacheService, type Loader } from './cache/cache-service.js';
export type { Entry } from './cache/envelope.js';
export {
  type CacheKey,
  type CacheKeyFactory,
  createCacheKey,
  type KeyInput,
  type KeyPart,
  type PlainKey,
  type TypedKey,
} from './cache/keys.js';
export { type CacheLogger, consoleLogger, silentLogger } from './cache/logger.js';
export type { CacheServiceOptions } from './cache/options.js';
export { jsonSerializer, type Serializer } from './cache/serializer.js';
export { MAX_TTL_SECONDS } from './cache/validate.js';
export {
  CacheArgumentError,
  CacheDependencyError,
  CacheError,
  type CacheErrorCode,
  type CacheErrorContext,
  CacheLimitError,
  CacheSerializationError,
  CacheStoreError,
  isCacheError,
  isInputError,
} from './errors.js';
export {
  compileGlob,
  escapeGlob,
  type GlobToken,
  globLiteralPrefix,
  parseGlob,
} from './stores/glob.js';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './stores/memory/memory-store.js';
export type {
  RedisCacheStoreOptions,
  RedisClientStoreOptions,
  RedisClusterNodeOptions,
  RedisClusterStoreOptions,
  RedisConnectionStoreOptions,
  RedisStoreTimeouts,
} from './stores/redis/options.js';
export { RedisCacheStore } from './stores/redis/redis-store.js';
export type { CacheStore } from './stores/types.js';
