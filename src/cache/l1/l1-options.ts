import { type InvalidationBus, isInvalidationBus } from '../../bus/types.js';
import { CacheArgumentError, describeValue } from '../../errors.js';
import {
  acceptedKeys,
  durationProblem,
  type KeyList,
  unknownKeyProblem,
} from '../../shared/options.js';

/**
 * The in-process tier (L1) of a `CacheService`: recent entries kept in memory in front of
 * the store, each served for at most `maxAgeMs` after this instance read or wrote it.
 * See docs/two-tiers.md.
 *
 * @example
 * l1: { maxEntries: 10_000, maxAgeMs: 5_000, bus: new RedisInvalidationBus({ url: process.env.REDIS_URL }) }
 */
export interface L1Options {
  /**
   * The most entries kept; the least recently used is dropped first. A whole number from 1.
   * @default 1000
   */
  maxEntries?: number;
  /**
   * The staleness bound: a copy is served at most this many milliseconds after this
   * instance read it from the store or wrote it, whatever happens to the bus. From 1 ms to
   * 2^31 − 1 ms. Without a bus, this is how long another instance's write may go unseen.
   * @default 1000
   */
  maxAgeMs?: number;
  /**
   * Tells other instances which keys changed, so they drop their copies at once (and hears
   * theirs). The service closes it in `onModuleDestroy`. Without one, copies expire after
   * `maxAgeMs`.
   */
  bus?: InvalidationBus;
}

/** {@link L1Options} checked, defaults applied. */
export interface ResolvedL1Options {
  maxEntries: number;
  maxAgeMs: number;
  bus: InvalidationBus | undefined;
}

/** The defaults `l1: true` takes. */
export const L1_DEFAULTS = { maxEntries: 1000, maxAgeMs: 1000 } as const;

const L1_OPTION_KEYS = acceptedKeys({
  maxEntries: true,
  maxAgeMs: true,
  bus: true,
} satisfies KeyList<L1Options>);

function invalid(message: string): never {
  throw new CacheArgumentError('E_INVALID_OPTION', message);
}

/**
 * Checks the `l1` option of `CacheService`: `undefined`/`false` (no tier), `true` (the
 * defaults) or {@link L1Options}.
 * @throws CacheArgumentError `E_INVALID_OPTION` naming the first bad value.
 */
export function resolveL1Options(input: unknown): ResolvedL1Options | undefined {
  if (input === undefined || input === false) return undefined;
  if (input === true) return { ...L1_DEFAULTS, bus: undefined };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalid(`l1 must be true, false or an object of L1 options, got ${describeValue(input)}`);
  }
  const problem = unknownKeyProblem(input, L1_OPTION_KEYS, 'l1 options');
  if (problem !== undefined) invalid(problem);
  const {
    maxEntries = L1_DEFAULTS.maxEntries,
    maxAgeMs = L1_DEFAULTS.maxAgeMs,
    bus,
  } = input as L1Options;
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    invalid(`l1.maxEntries must be a whole number from 1, got ${describeValue(maxEntries)}`);
  }
  const ageProblem = durationProblem(maxAgeMs, 'l1.maxAgeMs', 1);
  if (ageProblem !== undefined) invalid(ageProblem);
  if (bus !== undefined && !isInvalidationBus(bus)) {
    invalid(
      `l1.bus must implement InvalidationBus (publish, subscribe and close methods), got ${describeValue(bus)}`,
    );
  }
  return { maxEntries, maxAgeMs, bus };
}
