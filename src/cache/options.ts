import { CacheArgumentError, describeValue } from '../errors.js';
import { type CacheLogger, consoleLogger } from './logger.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { assertDurationMs, assertNonEmptyString, ttlToMs } from './validate.js';

/** Options of `CacheService`. */
export interface CacheServiceOptions {
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
   * open, in milliseconds; `0` disables the limit. Stores have tighter timeouts of their own.
   * @default 3000
   */
  storeTimeoutMs?: number;
}

/** {@link CacheServiceOptions} checked, with defaults applied and TTLs in milliseconds. */
export interface ResolvedOptions {
  defaultTtlMs: number;
  keyPrefix: string | undefined;
  logger: CacheLogger;
  serializer: Serializer;
  storeTimeoutMs: number;
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

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
  return { defaultTtlMs, keyPrefix: options.keyPrefix, logger, serializer, storeTimeoutMs };
}
