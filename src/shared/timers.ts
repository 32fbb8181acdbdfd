/**
 * The one place that races promises against timers, sleeps and builds deadline signals.
 * Every race clears its timer as soon as it is decided.
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
 * Settles like `promise`, or with what `onTimeout` returns (or throws) when `promise` has
 * not settled after `ms` milliseconds. `promise` itself runs on either way.
 */
function race<T, F>(promise: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  return new Promise<T | F>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
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

/** Resolves whether `promise` settled within `ms` milliseconds; rejects if it rejected in time. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return race(
    promise.then(() => true),
    ms,
    () => false,
  );
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
  return race(promise, ms, (): never => {
    throw timeoutError();
  });
}

/** Resolves `promise`'s value, or `undefined` once `ms` milliseconds have passed first. */
export function valueWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return race(promise, ms, () => undefined);
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
