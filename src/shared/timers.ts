/**
 * The one place that races promises against timers. Every timer here is cleared as soon
 * as the race is decided, and none keeps the process alive on its own (`unref`).
 */

/** The longest delay Node's timers honour, in milliseconds (2^31 − 1, ~24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/**
 * Resolves whether `promise` settled within `ms` milliseconds; rejects if it rejected in
 * time. `promise` itself runs on either way.
 */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Settles like `promise`, or rejects with `timeoutError()` when it has not settled after
 * `ms` milliseconds.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Resolves `promise`'s value, or `undefined` once `ms` milliseconds have passed first. */
export function valueWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * A signal that aborts with `reason()` after `ms` milliseconds (clamped to what a timer can
 * hold), and the way to stop its timer; it never aborts when `ms` is not a finite number.
 * `abortNow()` aborts it at once. With `keepAlive: false` the timer does not keep the
 * process alive on its own.
 */
export function timeoutSignal(
  ms: number,
  reason: () => unknown,
  keepAlive = true,
): { signal: AbortSignal; clear: () => void; abortNow: () => void } {
  const controller = new AbortController();
  const abortNow = () => {
    if (!controller.signal.aborted) controller.abort(reason());
  };
  if (!Number.isFinite(ms)) return { signal: controller.signal, clear: () => {}, abortNow };
  const timer = setTimeout(
    () => controller.abort(reason()),
    Math.min(Math.max(0, ms), MAX_TIMER_MS),
  );
  if (!keepAlive) timer.unref?.();
  return {
    signal: controller.signal,
    clear: () => clearTimeout(timer),
    abortNow: () => {
      clearTimeout(timer);
      abortNow();
    },
  };
}

/** Milliseconds left until `deadlineMs` (a `performance.now()` reading), never below 0. */
export function remainingMs(deadlineMs: number): number {
  return Math.max(0, deadlineMs - performance.now());
}
