import { type CacheLogger, consoleLogger, errorMessage } from '../shared/logger.js';
import { containedLogger } from '../shared/user-code.js';
import type { CacheService } from './cache-service.js';
import { deadlineSignal, runWithDeadline } from './deadline.js';

/** What `withCache` needs of a Lambda context: its remaining time, when present. */
interface ContextWithDeadline {
  getRemainingTimeInMillis?: () => unknown;
}

/** Options of {@link withCache}. */
export interface WithCacheOptions {
  /**
   * Where `withCache` reports draining cut short by the deadline, or a drain that failed.
   * @default the console (warnings and errors)
   */
  logger?: CacheLogger;
}

/** Time kept back for Lambda to return the response after draining, in milliseconds. */
const RESPONSE_MARGIN_MS = 500;
/** The longest wait a Node.js timer can express, in milliseconds. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Wraps a Lambda handler so that it returns only after every background refresh its
 * caches started has settled (`drain()`): no refresh is frozen with the environment
 * between invocations, or dropped by runtimes that do not wait for pending promises.
 * The handler's result and errors pass through unchanged: nothing `withCache` does
 * afterwards replaces them. When the second argument is a Lambda context, draining stops
 * 500 ms before the invocation's deadline (the first time it is cut short that way, one
 * warning is logged), and so do the loaders the invocation starts: their `signal` aborts then.
 *
 * @example
 * export const handler = withCache(cache, async (event) => {
 *   const flags = await cache.wrapSWR('flags', 60, 300, fetchFlags);
 *   return { statusCode: 200, body: JSON.stringify(flags) };
 * });
 */
export function withCache<Args extends unknown[], Result>(
  caches: CacheService | readonly CacheService[],
  handler: (...args: Args) => Result | PromiseLike<Result>,
  options: WithCacheOptions = {},
): (...args: Args) => Promise<Result> {
  const list: readonly CacheService[] = Array.isArray(caches) ? caches : [caches as CacheService];
  const logger = containedLogger(options.logger ?? consoleLogger);
  let cutShortLogged = false;
  const drainAll = async (context: unknown): Promise<void> => {
    const remainingMs = drainBudgetMs(context);
    try {
      const drained = await Promise.all(list.map((cache) => cache.drain(remainingMs)));
      if (remainingMs !== undefined && drained.includes(false) && !cutShortLogged) {
        cutShortLogged = true;
        logger.warn(
          `withCache stopped draining background refreshes ${RESPONSE_MARGIN_MS} ms before the invocation deadline; the unfinished ones may run or be lost in a later invocation (logged once)`,
          { remainingMs },
        );
      }
    } catch (error) {
      logger.error(`withCache could not drain background refreshes: ${errorMessage(error)}`);
    }
  };
  return async (...args: Args) => {
    const budgetMs = drainBudgetMs(args[1]);
    const loaderDeadline = budgetMs === undefined ? undefined : deadlineSignal(budgetMs);
    try {
      return await (loaderDeadline === undefined
        ? handler(...args)
        : runWithDeadline(loaderDeadline.signal, () => handler(...args)));
    } finally {
      await drainAll(args[1]);
      // The invocation ends: loaders it started and draining left running are aborted now,
      // so none hangs on into (and stalls) a later invocation.
      loaderDeadline?.abortNow();
    }
  };
}

/**
 * The time left for draining, in whole milliseconds from 0 to 2^31 − 1, or `undefined`
 * (no limit) when the context has no usable `getRemainingTimeInMillis`: it is missing,
 * throws, or returns something other than a number (NaN included).
 */
function drainBudgetMs(context: unknown): number | undefined {
  const read = (context as ContextWithDeadline | null | undefined)?.getRemainingTimeInMillis;
  if (typeof read !== 'function') return undefined;
  let remaining: unknown;
  try {
    remaining = read.call(context);
  } catch {
    return undefined;
  }
  if (typeof remaining !== 'number' || Number.isNaN(remaining)) return undefined;
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.floor(remaining - RESPONSE_MARGIN_MS)));
}
