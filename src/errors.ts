import { brand, GlassworkError, hasBrand } from './shared/glasswork-error.js';

export { describeValue, quoteKey } from './shared/describe.js';

/**
 * Stable error codes. Match on `error.code`, never on the message.
 */
export type CacheErrorCode =
  | 'E_INVALID_TTL'
  | 'E_INVALID_KEY'
  | 'E_INVALID_PATTERN'
  | 'E_INVALID_TAG'
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
  | 'E_MISSING_DEPENDENCY';

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
export class CacheError extends GlassworkError {
  declare readonly code: CacheErrorCode;
  readonly key: string | undefined;
  readonly store: string | undefined;

  constructor(code: CacheErrorCode, message: string, context: CacheErrorContext = {}) {
    super(code, message, context.cause);
    this.key = context.key;
    this.store = context.store;
  }
}

/**
 * A caller passed an argument or option the cache cannot accept
 * (`E_INVALID_TTL`, `E_INVALID_KEY`, `E_INVALID_PATTERN`, `E_INVALID_TAG`, `E_INVALID_OPTION`,
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

/** Marks cache errors, and among them the caller's input errors; shared by package copies. */
const CACHE_ERROR = Symbol.for('glasswork.cacheError');
const INPUT_ERROR = Symbol.for('glasswork.inputError');
brand(CacheError, CACHE_ERROR);
brand(CacheArgumentError, INPUT_ERROR);
brand(CacheSerializationError, INPUT_ERROR);
brand(CacheLimitError, INPUT_ERROR);

/**
 * True when `error` is a {@link CacheError}, also one thrown by another copy of the
 * package (ESM and CommonJS loaded side by side), where `instanceof` would say no.
 */
export function isCacheError(error: unknown): error is CacheError {
  return hasBrand(error, CACHE_ERROR);
}

/**
 * True for errors caused by the caller's input (bad TTL, key, value or size),
 * which the service rethrows instead of failing open.
 */
export function isInputError(error: unknown): error is CacheError {
  return hasBrand(error, INPUT_ERROR);
}
