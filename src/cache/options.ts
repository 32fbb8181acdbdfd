import { CacheArgumentError, describeValue } from '../errors.js';
import type { CacheEventListener } from './events.js';
import { type CacheLogger, consoleLogger } from './logger.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { assertDurationMs, assertNonEmptyString, ttlToMs } from './validate.js';

/** Per-call options of `wrap` and `wrapSWR`; each overrides the service option of the same name. */
export interface WrapOptions {
  /**
   * Cross-process single-flight: on a miss, only the instance that wins a lease in the
   * store computes; the others wait for its value (up to `lockWaitMs`), then compute themselves.
   */
  lock?: boolean;
  /** How long a `lock` loser waits for the winner's value, in milliseconds. */
  lockWaitMs?: number;
  /**
   * With `wrap`: when `fn` throws and the entry expired less than this many seconds ago,
   * return the expired value instead (logged). Entries are kept that much longer in the store.
   */
  staleIfError?: number;
  /**
   * When a stale value exists and `fn` takes longer than this many milliseconds, return the
   * stale value and let `fn` finish in the background (tracked by `drain()`).
   */
  fnTimeoutMs?: number;
  /**
   * With `wrapSWR`: refresh stale entries in the background (`true`) or inline, the caller
   * waiting for the fresh value (`false`, for platforms where nothing may outlive a request).
   */
  backgroundRefresh?: boolean;
}

/** Options of `CacheService`. */
export interface CacheServiceOptions extends WrapOptions {
  /** TTL of entries written without one, in seconds. Required: there is no hidden default. */
  defaultTTL: number;
  /** Namespace prepended to every key as `${keyPrefix}:${key}`; patterns never leave it. */
  keyPrefix?: string;
  /**
   * Receives store failures and background refresh errors (keys, never values).
   * @default warnings and errors to the console
   */
  logger?: CacheLogger;
  /**
   * Turns values into payloads and back.
   * @default strict JSON ({@link jsonSerializer})
   */
  serializer?: Serializer;
  /**
   * The longest any store call may take before the service gives up on it and fails
   * open, in milliseconds; `0` disables the limit. The built-in stores also bound their own calls.
   * @default 3000
   */
  storeTimeoutMs?: number;
  /**
   * The longest `delByPattern` may take before the service stops waiting and resolves `0`,
   * in milliseconds; `0` disables the limit. The store may go on deleting. Pattern deletes
   * scan (DynamoDB: the whole table), so this is far longer than `storeTimeoutMs`.
   * @default 60000
   */
  delByPatternTimeoutMs?: number;
  /**
   * Let only the instance that wins a short lease in the store refresh a stale
   * `wrapSWR` entry, across processes. Used where the store has `setIfAbsent`.
   * @default true
   */
  refreshLease?: boolean;
  /** Receives every {@link CacheEvent}; same as `cache.on('*', listener)`. */
  onEvent?: CacheEventListener;
}

/** {@link WrapOptions} checked, durations in milliseconds. */
export interface ResolvedWrapOptions {
  lock: boolean;
  lockWaitMs: number;
  staleIfErrorMs: number;
  fnTimeoutMs: number;
  backgroundRefresh: boolean;
}

/** {@link CacheServiceOptions} checked, with defaults applied and durations in milliseconds. */
export interface ResolvedOptions extends ResolvedWrapOptions {
  defaultTtlMs: number;
  keyPrefix: string | undefined;
  logger: CacheLogger;
  serializer: Serializer;
  storeTimeoutMs: number;
  delByPatternTimeoutMs: number;
  refreshLease: boolean;
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

function assertBoolean(value: unknown, name: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `${name} must be a boolean, got ${describeValue(value)}`,
    );
  }
}

/**
 * Checks per-call options against the service's defaults.
 * @throws CacheArgumentError naming the first bad option.
 */
export function resolveWrapOptions(
  options: WrapOptions | undefined,
  defaults: ResolvedWrapOptions,
): ResolvedWrapOptions {
  if (options === undefined) return defaults;
  if (typeof options !== 'object' || options === null) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `options must be an object, got ${describeValue(options)}`,
    );
  }
  assertBoolean(options.lock, 'lock');
  assertBoolean(options.backgroundRefresh, 'backgroundRefresh');
  const lockWaitMs = options.lockWaitMs ?? defaults.lockWaitMs;
  assertDurationMs(lockWaitMs, 'lockWaitMs');
  const fnTimeoutMs = options.fnTimeoutMs ?? defaults.fnTimeoutMs;
  assertDurationMs(fnTimeoutMs, 'fnTimeoutMs');
  return {
    lock: options.lock ?? defaults.lock,
    lockWaitMs,
    staleIfErrorMs:
      options.staleIfError === undefined
        ? defaults.staleIfErrorMs
        : ttlToMs(options.staleIfError, 'staleIfError'),
    fnTimeoutMs,
    backgroundRefresh: options.backgroundRefresh ?? defaults.backgroundRefresh,
  };
}

/**
 * Checks `CacheService` options.
 * @throws CacheArgumentError naming the first bad option.
 */
export function resolveOptions(options: CacheServiceOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `CacheService options must be an object with a defaultTTL, got ${describeValue(options)}`,
    );
  }
  const defaultTtlMs = ttlToMs(options.defaultTTL, 'defaultTTL');
  if (options.keyPrefix !== undefined) {
    assertNonEmptyString(options.keyPrefix, 'keyPrefix', 'E_INVALID_OPTION');
  }
  const logger = options.logger ?? consoleLogger;
  for (const method of LOGGER_METHODS) {
    if (typeof logger[method] !== 'function') {
      throw new CacheArgumentError('E_INVALID_OPTION', `logger must have a ${method}() method`);
    }
  }
  const serializer = options.serializer ?? jsonSerializer;
  if (typeof serializer.serialize !== 'function' || typeof serializer.deserialize !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      'serializer must have serialize() and deserialize() methods',
    );
  }
  const storeTimeoutMs = options.storeTimeoutMs ?? 3000;
  assertDurationMs(storeTimeoutMs, 'storeTimeoutMs');
  const delByPatternTimeoutMs = options.delByPatternTimeoutMs ?? 60_000;
  assertDurationMs(delByPatternTimeoutMs, 'delByPatternTimeoutMs');
  assertBoolean(options.refreshLease, 'refreshLease');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `onEvent must be a function, got ${describeValue(options.onEvent)}`,
    );
  }
  const wrapDefaults = resolveWrapOptions(options, {
    lock: false,
    lockWaitMs: 5000,
    staleIfErrorMs: 0,
    fnTimeoutMs: 0,
    backgroundRefresh: true,
  });
  return {
    ...wrapDefaults,
    defaultTtlMs,
    keyPrefix: options.keyPrefix,
    logger,
    serializer,
    storeTimeoutMs,
    delByPatternTimeoutMs,
    refreshLease: options.refreshLease ?? true,
  };
}
