import { CacheArgumentError, describeValue, quoteKey } from '../errors.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../shared/options.js';
import { prefixedKey } from './arguments.js';
import type { KeyInput, TypedKey } from './keys.js';
import { assertTags } from './tags/tag-arguments.js';
import { ttlToMs } from './validate.js';

/** The most keys (or entries) one batch call accepts. */
export const MAX_BATCH_KEYS = 1000;

/** One entry of `setMany`: a key, its value, an optional TTL in seconds and tags. */
export interface BatchEntry<T> {
  key: KeyInput<T>;
  /** `null` is a value; `undefined` is refused. */
  value: NoInfer<T>;
  /** Seconds; `defaultTTL` when left out. */
  ttl?: number;
  /**
   * Tags the entry carries (see `invalidateTags`).
   * @default no tags
   */
  tags?: readonly string[];
}

const ENTRY_KEYS = acceptedKeys({
  key: true,
  value: true,
  ttl: true,
  tags: true,
} satisfies KeyList<BatchEntry<unknown>>);

/** A checked batch entry: full key, TTL in milliseconds, distinct tags. */
export interface CheckedEntry {
  fullKey: string;
  value: unknown;
  ttlMs: number;
  tags: readonly string[];
}

/**
 * `wrapMany`'s loader: receives the keys that missed, as the caller gave them (each once),
 * and returns their values in the same order. An `undefined` value is returned, not cached.
 */
export type BatchLoader<K, T> = (missing: K[]) => readonly T[] | PromiseLike<readonly T[]>;

/** Per-call options of `wrapMany`. */
export interface WrapManyOptions {
  /**
   * Must be `false` (or left out where the service's `lock` is `false`): cross-process locks
   * are taken per key by `wrap` only; `wrapMany` refuses `lock: true` with `E_INVALID_OPTION`.
   */
  lock?: boolean;
  /**
   * Tags every entry this call loads carries (see `invalidateTags`).
   * @default no tags
   */
  tags?: readonly string[];
}

/** The value type a typed key names. */
export type ValueOf<K> = K extends TypedKey<infer T> ? T : never;

/**
 * The full keys of a batch call's `keys` argument, in order.
 * @throws CacheArgumentError `E_INVALID_ARGUMENT` for a non-array or more than
 *   {@link MAX_BATCH_KEYS}; `E_INVALID_KEY` naming the element's index
 */
export function batchKeys(keyPrefix: string | undefined, keys: unknown, method: string): string[] {
  assertBatch(keys, 'keys', method, 'keys');
  return keys.map((key, index) => elementKey(keyPrefix, key, `keys[${index}]`));
}

/** `setMany`'s entries checked: full keys, values defined, TTLs in milliseconds. */
export function batchEntries(
  keyPrefix: string | undefined,
  entries: unknown,
  defaultTtlMs: number,
): CheckedEntry[] {
  assertBatch(entries, 'entries', 'setMany', 'entries');
  return entries.map((entry: unknown, index) => {
    const name = `entries[${index}]`;
    if (typeof entry !== 'object' || entry === null || !('key' in entry)) {
      throw new CacheArgumentError(
        'E_INVALID_ARGUMENT',
        `${name} must be an object { key, value, ttl?, tags? }, got ${describeValue(entry)}`,
      );
    }
    const problem = unknownKeyProblem(entry, ENTRY_KEYS, name);
    if (problem !== undefined) throw new CacheArgumentError('E_INVALID_OPTION', problem);
    const { key, value, ttl, tags } = entry as BatchEntry<unknown>;
    const fullKey = elementKey(keyPrefix, key, `${name}.key`);
    if (value === undefined) {
      throw new CacheArgumentError(
        'E_UNDEFINED_VALUE',
        `${name}.value (key ${quoteKey(fullKey)}) is undefined, which cannot be cached; use null or delMany()`,
        { key: fullKey },
      );
    }
    const ttlMs = ttl === undefined ? defaultTtlMs : ttlToMs(ttl, `${name}.ttl`);
    return { fullKey, value, ttlMs, tags: assertTags(tags, `${name}.tags`) };
  });
}

function assertBatch(
  value: unknown,
  name: string,
  method: string,
  what: string,
): asserts value is unknown[] {
  if (!Array.isArray(value)) {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `${method}: ${name} must be an array, got ${describeValue(value)}`,
    );
  }
  if (value.length > MAX_BATCH_KEYS) {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `${method}: ${name} must hold at most ${MAX_BATCH_KEYS} ${what} per call, got ${value.length}; split the call`,
    );
  }
}

function elementKey(keyPrefix: string | undefined, key: unknown, name: string): string {
  try {
    return prefixedKey(keyPrefix, key);
  } catch (error) {
    if (error instanceof CacheArgumentError) {
      throw new CacheArgumentError(error.code, `${name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The distinct values of `keys`, in first-seen order. */
export function distinct(keys: readonly string[]): string[] {
  return keys.length < 2 ? [...keys] : [...new Set(keys)];
}

/**
 * `wrapMany`'s arguments in either form, `(keys, ttl, fn, options)` or `(keys, fn, options)`.
 * @throws CacheArgumentError `E_INVALID_ARGUMENT` for a loader that is not a function,
 *   `E_INVALID_OPTION` for bad options or `lock: true` (here or as the service's default)
 */
export function wrapManyArguments(
  ttlOrFn: unknown,
  fnOrOptions: unknown,
  options: unknown,
  serviceLock: boolean,
): { ttl: number | undefined; fn: BatchLoader<unknown, unknown>; tags: readonly string[] } {
  const [ttl, fn, rest] =
    typeof ttlOrFn === 'function'
      ? [undefined, ttlOrFn, fnOrOptions]
      : [ttlOrFn, fnOrOptions, options];
  if (typeof fn !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `fn must be a function that loads the missing keys' values, got ${describeValue(fn)}; the call is wrapMany(keys, ttl, fn) or wrapMany(keys, fn)`,
    );
  }
  if (rest !== undefined && (typeof rest !== 'object' || rest === null)) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `wrapMany options must be an object, got ${describeValue(rest)}`,
    );
  }
  const extra =
    rest === undefined
      ? []
      : Object.keys(rest).filter((name) => name !== 'lock' && name !== 'tags');
  if (extra.length > 0) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `unknown wrapMany option ${JSON.stringify(extra[0])}; wrapMany accepts lock (false) and tags`,
    );
  }
  const lock = (rest as WrapManyOptions | undefined)?.lock ?? serviceLock;
  if (lock !== false) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `wrapMany does not take cross-process locks (lock: ${describeValue(lock)}${(rest as WrapManyOptions | undefined)?.lock === undefined ? ', the service default' : ''}); use wrap per key for locked loads, or pass { lock: false } to load without the lock`,
    );
  }
  return {
    ttl: ttl as number | undefined,
    fn: fn as BatchLoader<unknown, unknown>,
    tags: assertTags((rest as WrapManyOptions | undefined)?.tags, 'tags'),
  };
}
