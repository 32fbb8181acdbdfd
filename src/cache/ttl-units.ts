import type { CacheLogger } from '../shared/logger.js';

/** TTLs from this many seconds up (~16.7 hours) that are whole thousands look like milliseconds. */
const SUSPECT_FROM_SECONDS = 60_000;

/**
 * Warns, once per argument name, about TTLs that look like milliseconds: TTLs are seconds,
 * and `defaultTTL: 300000` (meant as 5 minutes) caches for 3.5 days. A whole number of
 * thousands from 60,000 s up is the tell; such TTLs are still accepted.
 */
export class TtlUnitCheck {
  readonly #logger: CacheLogger;
  readonly #warned = new Set<string>();

  constructor(logger: CacheLogger) {
    this.#logger = logger;
  }

  /** Checks the TTL `seconds` given as `name`. */
  check(name: string, seconds: unknown): void {
    if (typeof seconds !== 'number' || seconds < SUSPECT_FROM_SECONDS || seconds % 1000 !== 0) {
      return;
    }
    if (this.#warned.has(name)) return;
    this.#warned.add(name);
    const days = (seconds / 86_400).toFixed(1);
    this.#logger.warn(
      `${name} is ${seconds} seconds (${days} days); TTLs are in seconds: did you mean ${seconds / 1000} (${seconds} ms)? (logged once)`,
      { name, seconds },
    );
  }
}
