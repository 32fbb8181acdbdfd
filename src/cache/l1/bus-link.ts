import type { InvalidationBus, InvalidationMessage } from '../../bus/types.js';
import { CacheStoreError } from '../../errors.js';
import { type CacheLogger, errorClass } from '../../shared/logger.js';
import { Throttle } from '../../shared/throttle.js';
import { withTimeout } from '../../shared/timers.js';
import { compileGlob } from '../../stores/glob.js';
import type { BackgroundTasks } from '../background.js';
import { stateKeyBase } from '../tags/state-keys.js';
import type { Copies } from './copies.js';

/** The longest a publish may take before it counts as failed, in milliseconds. */
export const PUBLISH_TIMEOUT_MS = 1000;
/** The shortest time between two logged bus failures, in milliseconds. */
const FAILURE_LOG_INTERVAL_MS = 5000;

/**
 * One service's link to its invalidation bus: publishes the keys and patterns this
 * instance changed (fire-and-forget, bounded, tracked as background work so `drain()`
 * waits for it), and applies the other instances' messages and the bus's gaps to the
 * copies. Subscribes on first use.
 */
export class BusLink {
  /** Names this instance in its messages. */
  readonly id = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  readonly #bus: InvalidationBus;
  readonly #scope: string;
  /** What every key of the scope starts with (`${keyPrefix}:`), or `''`. */
  readonly #keyStart: string;
  /** Where the service's tag versions and generation live (see `TagState`). */
  readonly #stateStart: string;
  readonly #copies: Copies;
  readonly #logger: CacheLogger;
  readonly #background: BackgroundTasks;
  readonly #throttle = new Throttle(FAILURE_LOG_INTERVAL_MS);
  #unsubscribe: (() => void) | undefined;
  #closed = false;
  #received = 0;
  #errors = 0;

  constructor(
    bus: InvalidationBus,
    keyPrefix: string | undefined,
    copies: Copies,
    logger: CacheLogger,
    background: BackgroundTasks,
  ) {
    this.#bus = bus;
    this.#scope = keyPrefix ?? '';
    this.#keyStart = keyPrefix === undefined ? '' : `${keyPrefix}:`;
    this.#stateStart = stateKeyBase(keyPrefix);
    this.#copies = copies;
    this.#logger = logger;
    this.#background = background;
  }

  /** Messages from other instances applied. */
  get received(): number {
    return this.#received;
  }

  /** Publishes that failed or timed out, and subscriptions that could not start. */
  get errors(): number {
    return this.#errors;
  }

  /** Subscribes, once; copies read before the subscription is live are dropped by its gap. */
  start(): void {
    if (this.#unsubscribe !== undefined || this.#closed) return;
    try {
      this.#unsubscribe = this.#bus.subscribe(this.#scope, {
        message: (message) => this.#apply(message),
        gap: () => this.#copies.clear(),
      });
    } catch (error) {
      this.#unsubscribe = noop;
      this.#failed('subscribe', error);
    }
  }

  /** Tells the other instances that `keys` or `patterns` changed. Never throws or waits. */
  publish(keys: string[], patterns: string[]): void {
    if (this.#closed) return;
    const message: InvalidationMessage = { origin: this.id, keys, patterns };
    let sending: Promise<void>;
    try {
      sending = this.#bus.publish(this.#scope, message);
    } catch (error) {
      sending = Promise.reject(error);
    }
    this.#background.track(
      withTimeout(
        Promise.resolve(sending),
        PUBLISH_TIMEOUT_MS,
        () =>
          new CacheStoreError(
            'E_STORE_TIMEOUT',
            `the invalidation bus did not answer within ${PUBLISH_TIMEOUT_MS} ms`,
          ),
      ).then(noop, (error: unknown) => this.#failed('publish', error)),
    );
  }

  /** Stops listening and closes the bus. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    this.#copies.clear();
    await this.#bus.close();
  }

  #apply(message: InvalidationMessage): void {
    if (typeof message !== 'object' || message === null || message.origin === this.id) return;
    const { keys, patterns } = message;
    let applied = false;
    if (Array.isArray(keys)) {
      for (const key of keys) {
        if (
          typeof key === 'string' &&
          (key.startsWith(this.#keyStart) || key.startsWith(this.#stateStart))
        ) {
          this.#copies.drop(key);
          applied = true;
        }
      }
    }
    if (Array.isArray(patterns)) {
      for (const pattern of patterns) {
        if (typeof pattern === 'string' && pattern.startsWith(this.#keyStart)) {
          this.#copies.dropMatching(compileGlob(pattern));
          applied = true;
        }
      }
    }
    if (applied) this.#received++;
  }

  #failed(operation: string, error: unknown): void {
    this.#errors++;
    const held = this.#throttle.pass(operation);
    if (held === undefined) return;
    this.#logger.warn(
      `invalidation bus failed to ${operation} on scope "${this.#scope}"; other instances see changes within l1.maxAgeMs: ${errorClass(error)}${held > 0 ? ` (${held} more ${operation} failures since the last report)` : ''}`,
      { operation },
    );
  }
}

function noop(): void {}
