import { quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import type { CacheContext } from './context.js';
import type { CacheEvent, CacheEventType } from './events.js';

/** Starts a duration measurement; `undefined` when nobody listens (nothing is measured). */
export function startTimer(context: CacheContext): number | undefined {
  return context.events.listening ? performance.now() : undefined;
}

/** Emits an event about `key`, with the time since `started` when it was measured. */
export function emit(
  context: CacheContext,
  type: CacheEventType,
  key: string,
  started?: number,
  error?: unknown,
): void {
  const events = context.events;
  if (!events.listening) {
    events.count(type);
    return;
  }
  const event: CacheEvent = {
    type,
    key,
    store: context.store.name,
    durationMs: started === undefined ? undefined : performance.now() - started,
    error,
  };
  if (type === 'hit' || type === 'stale') event.tier = context.store.servedFrom(key);
  events.emit(event);
}

/**
 * Logs `message` about `fullKey` at `level`, with the key and store as context, and emits
 * `type` with `error` when given. Messages name keys, never values.
 */
export function report(
  context: CacheContext,
  level: 'warn' | 'error',
  fullKey: string,
  message: string,
  type?: CacheEventType,
  error?: unknown,
): void {
  context.options.logger[level](message, { key: fullKey, store: context.store.name });
  if (type !== undefined) emit(context, type, fullKey, undefined, error);
}

/** Reports the failure of a refresh or load nobody awaits (the stale value stays served). */
export function reportRefreshError(context: CacheContext, fullKey: string, error: unknown): void {
  report(
    context,
    'error',
    fullKey,
    `refresh of ${quoteKey(fullKey)} failed; serving the stale value: ${errorMessage(error)}`,
    'refresh-error',
    error,
  );
}
