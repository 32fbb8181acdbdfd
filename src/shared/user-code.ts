import { type CacheLogger, errorClass } from './logger.js';
import { Throttle } from './throttle.js';

/** How often a failing listener or logger is reported to the console, at most, in milliseconds. */
const REPORT_INTERVAL_MS = 60_000;
const reports = new Throttle(REPORT_INTERVAL_MS);

/**
 * Contains a failure of user code the cache calls (an event listener, a logger): reported
 * to `console.error` once per minute per kind, with the error's class only, and never
 * thrown to the cache call that ran it.
 */
function userCodeFailed(kind: string, error: unknown): void {
  const held = reports.pass(kind);
  if (held === undefined) return;
  let name: string;
  try {
    name = error instanceof Error ? errorClass(error) : typeof error;
  } catch {
    name = 'an error that cannot be described';
  }
  try {
    console.error(
      `[glasswork] a ${kind} threw ${name}; ignored${held > 0 ? ` (${held} more since the last report)` : ''}`,
    );
  } catch {
    // Even the console can fail (a closed stream); there is nowhere left to report.
  }
}

/** Calls user code, containing a throw or a rejected promise it returns. */
export function callUserCode(kind: string, call: () => unknown): void {
  try {
    const result = call();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) =>
        userCodeFailed(kind, error),
      );
    }
  } catch (error) {
    userCodeFailed(kind, error);
  }
}

/** `logger` with every method contained: a throwing or rejecting logger never reaches the cache call. */
export function containedLogger(logger: CacheLogger): CacheLogger {
  return {
    debug: (message, context) => callUserCode('logger', () => logger.debug(message, context)),
    info: (message, context) => callUserCode('logger', () => logger.info(message, context)),
    warn: (message, context) => callUserCode('logger', () => logger.warn(message, context)),
    error: (message, context) => callUserCode('logger', () => logger.error(message, context)),
  };
}
