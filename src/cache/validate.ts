import { CacheArgumentError, describeValue } from '../errors.js';
import { durationProblem } from '../shared/options.js';

/** The largest TTL accepted, in seconds (2^31 − 1: ~68 years, what every store can hold). */
export const MAX_TTL_SECONDS = 2 ** 31 - 1;

/**
 * Checks a TTL given in seconds and returns it in milliseconds.
 * @throws CacheArgumentError `E_INVALID_TTL` naming `name` and the value.
 */
export function ttlToMs(ttlSeconds: unknown, name: string): number {
  if (
    typeof ttlSeconds !== 'number' ||
    !Number.isFinite(ttlSeconds) ||
    ttlSeconds <= 0 ||
    ttlSeconds > MAX_TTL_SECONDS
  ) {
    throw new CacheArgumentError(
      'E_INVALID_TTL',
      `${name} must be a positive, finite number of seconds up to ${MAX_TTL_SECONDS}, got ${describeValue(ttlSeconds)}`,
    );
  }
  // At least 1 ms: every store needs a positive whole number of milliseconds.
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/**
 * Checks a key or pattern argument: a non-empty string.
 * @throws CacheArgumentError with `code` naming `name` and the value.
 */
export function assertNonEmptyString(
  value: unknown,
  name: string,
  code: 'E_INVALID_KEY' | 'E_INVALID_PATTERN' | 'E_INVALID_OPTION',
): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new CacheArgumentError(
      code,
      `${name} must be a non-empty string, got ${describeValue(value)}`,
    );
  }
}

/**
 * Checks a non-negative whole number of milliseconds, at most 2^31 − 1
 * (~24.8 days): a longer timer would fire after ~1 ms.
 * @throws CacheArgumentError `E_INVALID_OPTION` naming `name`, the limit and the value.
 */
export function assertDurationMs(value: unknown, name: string): asserts value is number {
  const problem = durationProblem(value, name);
  if (problem !== undefined) throw new CacheArgumentError('E_INVALID_OPTION', problem);
}
