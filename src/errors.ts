import type { ModuleErrorCode } from './module/errors.js';

/**
 * Stable error codes. Match on `error.code`, never on the message.
 */
export type CacheErrorCode =
  | 'E_INVALID_TTL'
  | 'E_INVALID_KEY'
  | 'E_INVALID_PATTERN'
  | 'E_INVALID_OPTION'
  | 'E_INVALID_ARGUMENT'
  | 'E_UNDEFINED_VALUE'
  | 'E_SERIALIZE'
  | 'E_DESERIALIZE'
  | 'E_PAYLOAD_TOO_LARGE'
  | 'E_VALUE_TOO_LARGE'
  | 'E_KEY_TOO_LONG'
  | 'E_STORE_TIMEOUT'
  | 'E_STORE_UNAVAILABLE'
  | 'E_STORE_THROTTLED'
  | 'E_STORE_CLOSED'
  | 'E_MISSING_DEPENDENCY'
  | ModuleErrorCode;

/** Context attached to a {@link CacheError}. Never carries cached values. */
export interface CacheErrorContext {
  /** The full (prefixed) key involved, when there is one. */
  key?: string;
  /** The name of the store involved, when there is one. */
  store?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Base class of every error glasswork throws. Carries a stable `code` and,
 * where known, the `key` and `store` involved.
 */
export class CacheError extends Error {
  readonly code: CacheErrorCode;
  readonly key: string | undefined;
  readonly store: string | undefined;

  constructor(code: CacheErrorCode, message: string, context: CacheErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    this.key = context.key;
    this.store = context.store;
  }
}

/**
 * A caller passed an argument or option the cache cannot accept
 * (`E_INVALID_TTL`, `E_INVALID_KEY`, `E_INVALID_PATTERN`, `E_INVALID_OPTION`,
 * `E_INVALID_ARGUMENT`, `E_UNDEFINED_VALUE`).
 */
export class CacheArgumentError extends CacheError {}

/** A value could not be turned into a payload, or a payload back into a value. */
export class CacheSerializationError extends CacheError {}

/**
 * A store refused an entry for its size or its key length
 * (`E_VALUE_TOO_LARGE`, `E_KEY_TOO_LONG`). Thrown by stores; rejected by `set`.
 */
export class CacheLimitError extends CacheError {
  /** The measured size in bytes. */
  readonly size: number;
  /** The store's limit in bytes. */
  readonly limit: number;

  constructor(
    code: 'E_VALUE_TOO_LARGE' | 'E_KEY_TOO_LONG',
    message: string,
    context: CacheErrorContext & { size: number; limit: number },
  ) {
    super(code, message, context);
    this.size = context.size;
    this.limit = context.limit;
  }
}

/** A store failed, timed out or was used after `close()`. The service fails open on these. */
export class CacheStoreError extends CacheError {}

/** An optional peer dependency (ioredis, the AWS SDK) is not installed. */
export class CacheDependencyError extends CacheError {}

/** True when `error` is any glasswork {@link CacheError}. */
export function isCacheError(error: unknown): error is CacheError {
  return error instanceof CacheError;
}

/**
 * True for errors caused by the caller's input (bad TTL, key, value or size),
 * which the service rethrows instead of failing open.
 */
export function isInputError(error: unknown): error is CacheError {
  return (
    error instanceof CacheArgumentError ||
    error instanceof CacheSerializationError ||
    error instanceof CacheLimitError
  );
}

/** Describes a value for an error message without revealing cached contents. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The longest key shown in a message; longer keys are cut, with their length noted. */
const MAX_SHOWN_KEY = 200;

/**
 * Quotes a key for a message or log line: JSON-escaped (control characters cannot forge
 * log lines) and cut to 200 characters.
 */
export function quoteKey(key: string): string {
  if (key.length <= MAX_SHOWN_KEY) return JSON.stringify(key);
  return `${JSON.stringify(key.slice(0, MAX_SHOWN_KEY))}…(${key.length} characters)`;
}
