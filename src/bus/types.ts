/**
 * The contract between a `CacheService`'s in-process tier (L1) and the transport that
 * tells other instances what changed. Implement it to carry invalidations over another
 * channel (SNS, Momento topics, NATS…); `RedisInvalidationBus` is the built-in one.
 */

/**
 * What changed, as one instance tells the others: full (prefixed) keys and store patterns,
 * never values. `origin` names the sending instance, which ignores its own messages.
 */
export interface InvalidationMessage {
  /** The id of the instance that made the change. */
  origin: string;
  /** Full keys (`${keyPrefix}:${key}`) written or deleted. */
  keys: string[];
  /** Store patterns (`${keyPrefix}:${pattern}`) deleted with `delByPattern`. */
  patterns: string[];
}

/** What a bus calls back with. Both are cheap and never throw. */
export interface InvalidationHandlers {
  /** A message from any instance on the scope (the receiver skips its own). */
  message(message: InvalidationMessage): void;
  /**
   * Messages may have been lost: the subscription started, stopped or restarted (a
   * disconnect, a reconnect). The receiver drops every copy it read before.
   */
  gap(): void;
}

/**
 * A broadcast channel for cache invalidations, one per scope (a service's `keyPrefix`, or
 * `''` without one). A bus connects on first use, and its failures never reach cache
 * calls: the service bounds `publish` with its own timeout, logs and counts failures,
 * and relies on `l1.maxAgeMs` when messages are lost.
 *
 * @example
 * const bus: InvalidationBus = {
 *   publish: (scope, message) => topic.send(`cache:${scope}`, JSON.stringify(message)),
 *   subscribe(scope, handlers) {
 *     const stop = topic.listen(`cache:${scope}`, (text) => handlers.message(JSON.parse(text)), {
 *       onDisconnect: handlers.gap,
 *       onReconnect: handlers.gap,
 *     });
 *     return stop;
 *   },
 *   close: () => topic.close(),
 * };
 */
export interface InvalidationBus {
  /** Sends `message` to every subscriber of `scope`; resolves once it is sent. */
  publish(scope: string, message: InvalidationMessage): Promise<void>;
  /**
   * Delivers the messages of `scope` to `handlers` until the returned function is called.
   * Connects in the background; calls `handlers.gap()` whenever delivery (re)starts or stops.
   */
  subscribe(scope: string, handlers: InvalidationHandlers): () => void;
  /** Closes the bus's connections; afterwards `publish` rejects and nothing is delivered. */
  close(): Promise<void>;
}

/** Whether `value` has the three methods of an {@link InvalidationBus}. */
export function isInvalidationBus(value: unknown): value is InvalidationBus {
  const bus = value as Partial<Record<keyof InvalidationBus, unknown>> | null;
  return (
    typeof value === 'object' &&
    bus !== null &&
    typeof bus.publish === 'function' &&
    typeof bus.subscribe === 'function' &&
    typeof bus.close === 'function'
  );
}
