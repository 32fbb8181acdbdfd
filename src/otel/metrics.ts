import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { StoreErrorMessage, WrapMessage } from '../cache/channels.js';

/** The instruments glasswork records, created once per `instrumentGlasswork` call. */
export class GlassworkMetrics {
  readonly #hits: Counter;
  readonly #misses: Counter;
  readonly #stale: Counter;
  readonly #loaderDuration: Histogram;
  readonly #lockWaits: Counter;
  readonly #lockWaitDuration: Histogram;
  readonly #storeErrors: Counter;
  readonly #drained: Counter;

  constructor(meter: Meter) {
    this.#hits = meter.createCounter('glasswork.cache.hits', {
      description: 'Reads that found a fresh entry',
    });
    this.#misses = meter.createCounter('glasswork.cache.misses', {
      description: 'Reads that found nothing usable (absent, expired, malformed, store failed)',
    });
    this.#stale = meter.createCounter('glasswork.cache.stale_served', {
      description: 'wrap / wrapSWR calls answered with a stale value',
    });
    this.#loaderDuration = meter.createHistogram('glasswork.loader.duration', {
      description: 'How long loaders ran',
      unit: 's',
    });
    this.#lockWaits = meter.createCounter('glasswork.lock.waits', {
      description: 'wrap calls with lock that waited for another instance',
    });
    this.#lockWaitDuration = meter.createHistogram('glasswork.lock.wait.duration', {
      description: 'How long lock waiters waited',
      unit: 's',
    });
    this.#storeErrors = meter.createCounter('glasswork.store.errors', {
      description: 'Store calls that failed or timed out (the cache failed open)',
    });
    this.#drained = meter.createCounter('glasswork.background.drained', {
      description: 'Background tasks (refreshes, loaders past a soft timeout) drain() saw finish',
    });
  }

  /** A read's outcome: `get`, or the caller of `wrap` / `wrapSWR` that ran the read. */
  lookup(outcome: 'hit' | 'miss' | 'stale' | undefined, attributes: Attributes): void {
    if (outcome === 'hit') this.#hits.add(1, attributes);
    else if (outcome === 'miss') this.#misses.add(1, attributes);
    else if (outcome === 'stale') this.#stale.add(1, attributes);
  }

  loader(seconds: number, attributes: Attributes): void {
    this.#loaderDuration.record(seconds, attributes);
  }

  lockWait(message: WrapMessage, attributes: Attributes): void {
    if (message.lock !== 'waited' && message.lock !== 'timed-out') return;
    this.#lockWaits.add(1, { ...attributes, 'glasswork.lock': message.lock });
    if (message.lockWaitMs !== undefined)
      this.#lockWaitDuration.record(message.lockWaitMs / 1000, attributes);
  }

  storeError(message: StoreErrorMessage, errorType: string): void {
    this.#storeErrors.add(1, {
      'glasswork.store': message.store,
      'glasswork.tier': message.tier,
      'glasswork.store.operation': message.operation,
      'error.type': errorType,
    });
  }

  drained(count: number, attributes: Attributes): void {
    if (count > 0) this.#drained.add(count, attributes);
  }
}
