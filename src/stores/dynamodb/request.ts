import { CacheError, CacheStoreError, quoteKey } from '../../errors.js';
import { withTimeout } from '../../shared/timers.js';
import { isAwsError } from './sdk.js';

/** Options passed to `client.send`. */
export interface SendOptions {
  abortSignal?: AbortSignal;
}

/** Sends one request with the options given; the request itself is built by the caller. */
export type Send<T> = (options: SendOptions) => Promise<T>;

/** Sends one DynamoDB request, bounded in time, with its failures coded. */
export type Requester = <T>(
  operation: string,
  key: string | undefined,
  send: Send<T>,
) => Promise<T>;

/** What {@link requester} needs to know about the table and the store. */
export interface RequestScope {
  tableName: string;
  store: string;
  /**
   * Limit of one call in milliseconds, every attempt, backoff and the whole response body
   * included; `0` leaves time to the client (an injected client is configured by its owner).
   */
  deadlineMs: number;
}

const THROTTLED = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TIMED_OUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * A {@link Requester} for one store. Each call is aborted (its `abortSignal`) and settles
 * with `E_STORE_TIMEOUT` after `deadlineMs`, even when the SDK would wait on: its own
 * `requestTimeout` stops applying once response headers arrive. Failures become
 * `CacheStoreError`s; a failed condition (`ConditionalCheckFailedException`) is an answer,
 * not a failure, and passes through unchanged for the caller to read.
 */
export function requester(scope: RequestScope): Requester {
  return async (operation, key, send) => {
    const controller = scope.deadlineMs > 0 ? new AbortController() : undefined;
    try {
      if (controller === undefined) return await send({});
      const sent = send({ abortSignal: controller.signal });
      return await withTimeout(sent, scope.deadlineMs, () => {
        controller.abort();
        return controller.signal.reason as Error;
      });
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      throw storeFailure(error, operation, key, scope, controller?.signal.aborted === true);
    }
  };
}

/**
 * The coded error for a failed request: `E_STORE_TIMEOUT`, `E_STORE_THROTTLED` or
 * `E_STORE_UNAVAILABLE`, with the SDK error as `cause`. Messages name the error's class,
 * code and HTTP status, never the SDK's message, which may echo request values.
 */
export function storeFailure(
  error: unknown,
  operation: string,
  key: string | undefined,
  scope: RequestScope,
  deadlinePassed = false,
): CacheError {
  if (error instanceof CacheError) return error;
  const { store, tableName } = scope;
  const context = { key, store, cause: error };
  const table = JSON.stringify(tableName);
  const subject = `DynamoDB ${operation}${key === undefined ? '' : ` of key ${quoteKey(key)}`} on table ${table}`;
  if (deadlinePassed) {
    return new CacheStoreError(
      'E_STORE_TIMEOUT',
      `${subject} did not finish within ${scope.deadlineMs} ms (maxAttempts × requestTimeoutMs)`,
      context,
    );
  }
  const name = describeAwsError(error);
  if (isNamed(error, TIMED_OUT) || TIMED_OUT_CODES.has(codeOf(error) ?? '')) {
    return new CacheStoreError('E_STORE_TIMEOUT', `${subject} timed out: ${name}`, context);
  }
  if (isNamed(error, THROTTLED)) {
    return new CacheStoreError(
      'E_STORE_THROTTLED',
      `${subject} was throttled past the SDK's retries: ${name}`,
      context,
    );
  }
  if (isAwsError(error, 'ResourceNotFoundException')) {
    return new CacheStoreError(
      'E_STORE_UNAVAILABLE',
      `DynamoDB table ${table} was not found (${name}): create it with your infrastructure, or locally with createCacheTable (see docs/stores/dynamodb.md); check the region and account too`,
      context,
    );
  }
  return new CacheStoreError('E_STORE_UNAVAILABLE', `${subject} failed: ${name}`, context);
}

/** `Name`, `Name ECODE`, `Name (HTTP 500)`: class, code and status, cut and checked. */
function describeAwsError(error: unknown): string {
  const name =
    error instanceof Error && /^[A-Za-z][\w.]{0,79}$/.test(error.name) ? error.name : 'Error';
  const code = codeOf(error);
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  return `${name}${code === undefined ? '' : ` ${code}`}${Number.isInteger(status) ? ` (HTTP ${status})` : ''}`;
}

/** A Node.js-style error code (`ECONNREFUSED`), when the error has one of that shape. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z_]{1,40}$/.test(code) ? code : undefined;
}

function isNamed(error: unknown, names: Set<string>): boolean {
  return error instanceof Error && names.has(error.name);
}
