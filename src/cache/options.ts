import { CacheArgumentError, describeValue } from '../errors.js';
import { type CacheLogger, consoleLogger } from '../shared/logger.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../shared/options.js';
import { containedLogger } from '../shared/user-code.js';
import type { CacheEventListener } from './events.js';
import { type L1Options, type ResolvedL1Options, resolveL1Options } from './l1/l1-options.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { STATE_MARK } from './tags/state-keys.js';
import { assertTags } from './tags/tag-arguments.js';
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
   * Aborts the loader's `signal` after this many milliseconds and rejects (a `TimeoutError`
   * `DOMException`), or serves the stale value where `staleIfError` allows; a result the
   * loader delivers later is dropped. `0` sets no limit.
   * @default 0
   */
  fnHardTimeoutMs?: number;
  /**
   * Per call only: this caller gives up when `signal` aborts. Its promise rejects with
   * `signal.reason` at once; callers sharing the computation keep waiting. When every caller
   * of a computation has given up, the loader's own `signal` aborts.
   */
  signal?: AbortSignal;
  /**
   * Per call only: the tags the computed entry carries (see `invalidateTags`). The versions
   * of these tags are read with the entry, in the same round trip where the store can.
   * @default no tags
   */
  tags?: readonly string[];
  /**
   * With `wrapSWR`: refresh stale entries in the background (`true`) or inline, the caller
   * waiting for the fresh value (`false`, for platforms where nothing may outlive a request).
   */
  backgroundRefresh?: boolean;
}

/** Options of `CacheService`. */
export interface CacheServiceOptions extends Omit<WrapOptions, 'signal' | 'tags'> {
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
  /**
   * Handed every piece of background work the service starts (refreshes, loaders past a
   * soft timeout), for platforms that keep an instance alive for work handed to them:
   * Vercel's and Netlify's `waitUntil`, Cloudflare's `ctx.waitUntil`. A throwing
   * or rejecting `waitUntil` is reported and ignored; `drain()` still tracks the work.
   * @example { waitUntil: (promise) => ctx.waitUntil(promise) }
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * An in-process tier (L1) in front of the store, kept coherent across instances by an
   * optional invalidation bus; `true` takes the defaults (1000 entries, 1000 ms). See
   * docs/two-tiers.md.
   * @default off
   */
  l1?: boolean | L1Options;
}

/** {@link WrapOptions} checked, durations in milliseconds. */
export interface ResolvedWrapOptions {
  lock: boolean;
  lockWaitMs: number;
  staleIfErrorMs: number;
  fnTimeoutMs: number;
  fnHardTimeoutMs: number;
  backgroundRefresh: boolean;
  signal: AbortSignal | undefined;
  /** Distinct, checked; `[]` for none. */
  tags: readonly string[];
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
  waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  l1: ResolvedL1Options | undefined;
}

/** Throws `E_INVALID_OPTION` for `name` unless `ok`. */
function check(ok: boolean, name: string, expected: string, value: unknown): void {
  if (!ok) {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `${name} must be ${expected}, got ${describeValue(value)}`,
    );
  }
}

function flag(options: object, name: string, fallback: boolean): boolean {
  const value = (options as Record<string, unknown>)[name] ?? fallback;
  check(typeof value === 'boolean', name, 'a boolean', value);
  return value as boolean;
}

function durationMs(options: object, name: string, fallback: number): number {
  const value = (options as Record<string, unknown>)[name] ?? fallback;
  assertDurationMs(value, name);
  return value;
}

const WRAP_OPTION_KEYS = acceptedKeys({
  lock: true,
  lockWaitMs: true,
  staleIfError: true,
  fnTimeoutMs: true,
  fnHardTimeoutMs: true,
  backgroundRefresh: true,
  signal: true,
  tags: true,
} satisfies KeyList<WrapOptions>);

const SERVICE_OPTION_KEYS = [
  ...acceptedKeys({
    defaultTTL: true,
    keyPrefix: true,
    logger: true,
    serializer: true,
    storeTimeoutMs: true,
    delByPatternTimeoutMs: true,
    refreshLease: true,
    onEvent: true,
    waitUntil: true,
    l1: true,
  } satisfies KeyList<Omit<CacheServiceOptions, keyof WrapOptions>>),
  ...WRAP_OPTION_KEYS.filter((key) => key !== 'signal' && key !== 'tags'),
];

/** Throws `E_INVALID_OPTION` for the first key of `options` not in `known`. */
function knownKeys(options: object, known: readonly string[], where: string, hint?: string) {
  const problem = unknownKeyProblem(options, known, where, hint);
  if (problem !== undefined) throw new CacheArgumentError('E_INVALID_OPTION', problem);
}

function abortSignal(options: object): AbortSignal | undefined {
  const value = (options as Record<string, unknown>).signal;
  check(value === undefined || value instanceof AbortSignal, 'signal', 'an AbortSignal', value);
  return value as AbortSignal | undefined;
}

/** The service-wide defaults of {@link WrapOptions}. */
const WRAP_DEFAULTS: ResolvedWrapOptions = {
  lock: false,
  lockWaitMs: 5000,
  staleIfErrorMs: 0,
  fnTimeoutMs: 0,
  fnHardTimeoutMs: 0,
  backgroundRefresh: true,
  signal: undefined,
  tags: [],
};

/**
 * Checks per-call options against the service's defaults.
 * @throws CacheArgumentError naming the first bad option.
 */
export function resolveWrapOptions(
  options: WrapOptions | undefined,
  defaults: ResolvedWrapOptions,
): ResolvedWrapOptions {
  if (options === undefined) return defaults;
  check(typeof options === 'object' && options !== null, 'options', 'an object', options);
  knownKeys(options, WRAP_OPTION_KEYS, 'wrap options', 'other options are set on CacheService');
  return resolveWrapValues(options, defaults);
}

/** Checks the values of the {@link WrapOptions} in `options`, keys already checked. */
function resolveWrapValues(
  options: WrapOptions,
  defaults: ResolvedWrapOptions,
): ResolvedWrapOptions {
  return {
    lock: flag(options, 'lock', defaults.lock),
    lockWaitMs: durationMs(options, 'lockWaitMs', defaults.lockWaitMs),
    staleIfErrorMs:
      options.staleIfError === undefined
        ? defaults.staleIfErrorMs
        : ttlToMs(options.staleIfError, 'staleIfError'),
    fnTimeoutMs: durationMs(options, 'fnTimeoutMs', defaults.fnTimeoutMs),
    fnHardTimeoutMs: durationMs(options, 'fnHardTimeoutMs', defaults.fnHardTimeoutMs),
    backgroundRefresh: flag(options, 'backgroundRefresh', defaults.backgroundRefresh),
    signal: abortSignal(options),
    tags: assertTags(options.tags, 'tags'),
  };
}

/**
 * Checks `CacheService` options.
 * @throws CacheArgumentError naming the first bad option.
 */
export function resolveOptions(options: CacheServiceOptions): ResolvedOptions {
  check(
    typeof options === 'object' && options !== null,
    'CacheService options',
    'an object with a defaultTTL',
    options,
  );
  knownKeys(options, SERVICE_OPTION_KEYS, 'CacheService options');
  const {
    keyPrefix,
    logger = consoleLogger,
    serializer = jsonSerializer,
    onEvent,
    waitUntil,
  } = options;
  const defaultTtlMs = ttlToMs(options.defaultTTL, 'defaultTTL');
  if (keyPrefix !== undefined) assertNonEmptyString(keyPrefix, 'keyPrefix', 'E_INVALID_OPTION');
  check(
    keyPrefix === undefined || !`${keyPrefix}:`.includes(STATE_MARK),
    'keyPrefix',
    `a prefix without "${STATE_MARK.slice(0, -1)}" (reserved for tag versions and the clear() generation)`,
    keyPrefix,
  );
  check(
    typeof logger === 'object' &&
      logger !== null &&
      ['debug', 'info', 'warn', 'error'].every(
        (level) => typeof logger[level as 'warn'] === 'function',
      ),
    'logger',
    'an object with debug, info, warn and error methods',
    logger,
  );
  check(
    typeof serializer === 'object' &&
      serializer !== null &&
      typeof serializer.serialize === 'function' &&
      typeof serializer.deserialize === 'function',
    'serializer',
    'an object with serialize and deserialize methods',
    serializer,
  );
  check(onEvent === undefined || typeof onEvent === 'function', 'onEvent', 'a function', onEvent);
  check(
    waitUntil === undefined || typeof waitUntil === 'function',
    'waitUntil',
    'a function',
    waitUntil,
  );
  return {
    ...resolveWrapValues(options, WRAP_DEFAULTS),
    signal: undefined, // per call only
    tags: [],
    defaultTtlMs,
    keyPrefix,
    logger: containedLogger(logger),
    serializer,
    storeTimeoutMs: durationMs(options, 'storeTimeoutMs', 3000),
    delByPatternTimeoutMs: durationMs(options, 'delByPatternTimeoutMs', 60_000),
    refreshLease: flag(options, 'refreshLease', true),
    waitUntil,
    l1: resolveL1Options(options.l1),
  };
}
