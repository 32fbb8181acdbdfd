export type {
  InvalidationBus,
  InvalidationHandlers,
  InvalidationMessage,
} from './bus/types.js';
export {
  type BatchEntry,
  type BatchLoader,
  MAX_BATCH_KEYS,
  type ValueOf,
  type WrapManyOptions,
} from './cache/batch-arguments.js';
export { CacheService } from './cache/cache-service.js';
export type {
  CacheTier,
  DelMessage,
  DrainMessage,
  GetMessage,
  GlassworkTracingChannels,
  LoadMessage,
  OperationMessage,
  RefreshMessage,
  SetMessage,
  StoreErrorMessage,
  WrapMessage,
} from './cache/channels.js';
export type {
  CacheEvent,
  CacheEventListener,
  CacheEventType,
  CacheStats,
} from './cache/events.js';
export {
  type CacheKey,
  type CacheKeyFactory,
  createCacheKey,
  type KeyInput,
  type KeyPart,
  type PlainKey,
  type TypedKey,
} from './cache/keys.js';
export type { L1Options } from './cache/l1/l1-options.js';
export { type WithCacheOptions, withCache } from './cache/lambda.js';
export type { Loader, LoaderContext } from './cache/loader-context.js';
export type { CacheServiceOptions, WrapOptions } from './cache/options.js';
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
export { type Application, type BootstrapOptions, bootstrap } from './module/bootstrap.js';
export type { Container } from './module/container.js';
export {
  defineModule,
  type ModuleDefinition,
  type ModuleOptions,
} from './module/define-module.js';
export {
  isModuleError,
  ModuleError,
  type ModuleErrorCode,
  type ModuleErrorContext,
} from './module/errors.js';
export type { OnModuleDestroy, OnModuleInit } from './module/lifecycle.js';
export type {
  ClassProvider,
  Dependencies,
  FactoryProvider,
  Provider,
  ProviderClass,
  RegisteredProvider,
  ValueProvider,
} from './module/providers.js';
export { Scope } from './module/scope.js';
export type { ClassToken, ProviderToken } from './module/tokens.js';
export { GlassworkError, isGlassworkError } from './shared/glasswork-error.js';
export { type CacheLogger, consoleLogger, silentLogger } from './shared/logger.js';
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
export type {
  RedisClientLike,
  RedisClientOptions,
  RedisClusterClientOptions,
  RedisClusterNode,
} from './stores/redis/client-shapes.js';
export {
  DEFAULT_CHANNEL_PREFIX,
  RedisInvalidationBus,
  type RedisInvalidationBusChannel,
  type RedisInvalidationBusOptions,
} from './stores/redis/invalidation-bus.js';
export type {
  RedisCacheStoreOptions,
  RedisClientStoreOptions,
  RedisClusterNodeOptions,
  RedisClusterStoreOptions,
  RedisConnectionStoreOptions,
  RedisStoreTimeouts,
} from './stores/redis/options.js';
export { RedisCacheStore } from './stores/redis/redis-store.js';
export type { CacheStore, StoreEntry } from './stores/types.js';
