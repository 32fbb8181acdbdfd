import { AsyncLocalStorage } from 'node:async_hooks';
import { timeoutSignal } from '../shared/timers.js';

/**
 * The deadline of the invocation a call belongs to (set by `withCache`), as a signal that
 * aborts shortly before it. Loaders started under it get it as part of their own signal.
 */
const invocation = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` with `signal` as the invocation's deadline. */
export function runWithDeadline<T>(signal: AbortSignal, fn: () => T): T {
  return invocation.run(signal, fn);
}

/** The deadline signal of the current invocation, if `withCache` set one. */
export function currentDeadline(): AbortSignal | undefined {
  return invocation.getStore();
}

/**
 * A signal that aborts after `ms` milliseconds (a `TimeoutError`), and the way to stop its
 * timer; it never aborts when `ms` is not a finite number.
 */
export function deadlineSignal(ms: number): {
  signal: AbortSignal;
  clear: () => void;
  abortNow: () => void;
} {
  return timeoutSignal(
    ms,
    () => new DOMException('the invocation is about to reach its deadline', 'TimeoutError'),
    false,
  );
}
