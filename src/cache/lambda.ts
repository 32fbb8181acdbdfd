import type { CacheService } from './cache-service.js';
import { deadlineSignal, runWithDeadline } from './deadline.js';

/** What `withCache` needs of a Lambda context: its remaining time, when present. */
interface ContextWithDeadline {
  getRemainingTimeInMillis?: () => number;
}

/** Time kept back for Lambda to return the response after draining, in milliseconds. */
const RESPONSE_MARGIN_MS = 500;

/**
 * Wraps a Lambda handler so that it returns only after every background refresh its
 * caches started has settled (`drain()`): no refresh is frozen with the environment
 * between invocations, or dropped by runtimes that do not wait for pending promises.
 * The handler's result and errors pass through unchanged. When the second argument is a
 * Lambda context, draining stops 500 ms before the invocation's deadline, and so do the
 * loaders the invocation starts: their `signal` aborts then.
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
): (...args: Args) => Promise<Result> {
  const list: readonly CacheService[] = Array.isArray(caches) ? caches : [caches as CacheService];
  return async (...args: Args) => {
    const context = args[1] as ContextWithDeadline | undefined;
    const loaderDeadline =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? deadlineSignal(context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS)
        : undefined;
    try {
      return await (loaderDeadline === undefined
        ? handler(...args)
        : runWithDeadline(loaderDeadline.signal, () => handler(...args)));
    } finally {
      const remainingMs =
        typeof context?.getRemainingTimeInMillis === 'function'
          ? Math.max(0, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS)
          : undefined;
      await Promise.all(list.map((cache) => cache.drain(remainingMs)));
      loaderDeadline?.clear();
    }
  };
}
