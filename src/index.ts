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
  type CreateCacheTableOptions,
  type CreateCacheTableResult,
  createCacheTable,
} from './stores/dynamodb/create-table.js';
export { DynamoDBCacheStore } from './stores/dynamodb/dynamodb-store.js';
export type {
  DynamoDBCacheStoreOptions,
  DynamoDBClientLike,
} from './stores/dynamodb/options.js';
export {
  compileGlob,
  escapeGlob,
  type GlobToken,
  globLiteralPrefix,
  parseGlob,
} from './stores/glob.js';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './stores/memory/memory-store.js';
export type { CacheStore } from './stores/types.js';
