import { CacheArgumentError, describeValue, quoteKey } from '../errors.js';
import { escapeGlob } from '../stores/glob.js';
import type { CacheStore } from '../stores/types.js';
import { resolveKey } from './keys.js';
import type { Loader } from './loader-context.js';
import type { WrapOptions } from './options.js';
import { STATE_MARK } from './tags/state-keys.js';
import { assertNonEmptyString, ttlToMs } from './validate.js';

/** The full key of `key` under `keyPrefix`: `${keyPrefix}:${key}`. */
export function prefixedKey(keyPrefix: string | undefined, key: unknown): string {
  const resolved = resolveKey(key);
  if (resolved.includes(STATE_MARK)) {
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `key must not contain "${STATE_MARK}" (reserved for tag versions and the clear() generation), got ${quoteKey(resolved)}`,
    );
  }
  return keyPrefix === undefined ? resolved : `${keyPrefix}:${resolved}`;
}

/**
 * The store pattern for a caller's `pattern`: backslashes literal, inside `keyPrefix`.
 * @throws CacheArgumentError `E_INVALID_PATTERN` for an empty pattern
 */
export function prefixedPattern(keyPrefix: string | undefined, pattern: unknown): string {
  assertNonEmptyString(pattern, 'pattern', 'E_INVALID_PATTERN');
  const literalBackslashes = pattern.replace(/\\/g, '\\\\');
  return keyPrefix === undefined
    ? literalBackslashes
    : `${escapeGlob(`${keyPrefix}:`)}${literalBackslashes}`;
}

/** `wrap`'s arguments in either form, `(key, ttl, fn, options)` or `(key, fn, options)`. */
export function wrapArguments(
  ttlOrFn: number | undefined | Loader<unknown>,
  fnOrOptions: Loader<unknown> | WrapOptions | undefined,
  options: WrapOptions | undefined,
): { ttl: number | undefined; fn: Loader<unknown>; options: WrapOptions | undefined } {
  return typeof ttlOrFn === 'function'
    ? { ttl: undefined, fn: ttlOrFn, options: optionsAfterLoader(fnOrOptions) }
    : { ttl: ttlOrFn, fn: assertLoader(fnOrOptions), options };
}

export function assertLoader(fn: unknown): Loader<unknown> {
  if (typeof fn !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `fn must be a function that computes the value, got ${describeValue(fn)}; the call is wrap(key, ttl, fn) or wrap(key, fn)`,
    );
  }
  return fn as Loader<unknown>;
}

/**
 * The options of `wrap(key, fn, options)`. A number there is a TTL in the wrong place
 * (cache-manager's `wrap(key, fn, ttl)` order): say so instead of "options must be an object".
 */
function optionsAfterLoader(
  value: Loader<unknown> | WrapOptions | undefined,
): WrapOptions | undefined {
  if (typeof value === 'number') {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `wrap got a number (${value}) after the loader: the TTL goes before it, in seconds, as wrap(key, ${value}, fn); leave it out to use defaultTTL`,
    );
  }
  if (typeof value === 'function') {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      'options must be an object, got a function; the call is wrap(key, ttl, fn, options)',
    );
  }
  return value;
}

/** @throws CacheArgumentError `E_INVALID_ARGUMENT` unless `store` has `get`, `set` and `del`. */
export function assertStore(store: unknown): asserts store is CacheStore {
  const candidate = store as Partial<CacheStore> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.get !== 'function' ||
    typeof candidate.set !== 'function' ||
    typeof candidate.del !== 'function'
  ) {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `store must implement get, set and del (see CacheStore), got ${describeValue(store)}`,
    );
  }
}

/** @throws CacheArgumentError `E_UNDEFINED_VALUE`: `undefined` cannot be cached. */
export function assertDefined(value: unknown, fullKey: string): void {
  if (value === undefined) {
    throw new CacheArgumentError(
      'E_UNDEFINED_VALUE',
      `value for key ${quoteKey(fullKey)} is undefined, which cannot be cached; use null or del()`,
      { key: fullKey },
    );
  }
}

/**
 * `wrapSWR`'s windows in milliseconds.
 * @throws CacheArgumentError `E_INVALID_TTL` for a bad TTL or `staleTTL` past `maxTTL`.
 */
export function swrWindows(
  staleTTL: unknown,
  maxTTL: unknown,
  fullKey: string,
): { staleMs: number; maxMs: number } {
  const staleMs = ttlToMs(staleTTL, 'staleTTL');
  const maxMs = ttlToMs(maxTTL, 'maxTTL');
  if (staleMs > maxMs) {
    throw new CacheArgumentError(
      'E_INVALID_TTL',
      `staleTTL must not exceed maxTTL, got staleTTL ${String(staleTTL)} and maxTTL ${String(maxTTL)}`,
      { key: fullKey },
    );
  }
  return { staleMs, maxMs };
}
