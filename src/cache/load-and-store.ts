import { isInputError, quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import type { CacheContext } from './context.js';
import { type LoaderContext, type LoadRequest, runLoader } from './loader-context.js';
import { emit, report, startTimer } from './report.js';

/**
 * Runs the loader and stores its result, logically fresh for `request.ttlMs` (or the TTL
 * the loader set) and kept `graceMs` longer; with `request.fence`, only if no other write
 * overtook it meanwhile (refreshes and lock holders: a loader frozen with its Lambda
 * environment must not overwrite a newer entry). Resolves the loader's result (`undefined`
 * is returned, not stored); rejects only with the loader's own error or its signal's
 * reason. Caching problems are logged, never thrown.
 */
export async function loadAndStore(
  context: CacheContext,
  fullKey: string,
  loader: (context: LoaderContext<unknown>) => unknown,
  request: LoadRequest,
  graceMs: number,
): Promise<unknown> {
  // Read before the loader starts: an invalidation during the load makes its result invalid.
  const stamp = await context.tags.capture(request.tags);
  const { value, ttlMs } = await runLoader(context, fullKey, loader, request);
  if (value === undefined) return undefined;
  const fence = request.fence;
  try {
    const started = startTimer(context);
    // Invalidated while it loaded (a tag, or clear()): its caller gets it, the cache does not.
    // A stamp without a generation (the store failed to give one, logged) is never valid;
    // the write is still tried, so that a value the store cannot hold is reported.
    if (stamp.generation === '') {
      // Nobody can tell whether an invalidation happened meanwhile: callers that joined
      // this load load again.
      request.onInvalidated?.();
    } else if (!(await context.tags.check(stamp))) {
      request.onInvalidated?.();
      context.options.logger.debug(
        `value for ${quoteKey(fullKey)} was computed but not cached: it was invalidated while loading`,
        { key: fullKey, store: context.store.name },
      );
      return value;
    }
    if (await context.entries.write(fullKey, value, ttlMs, stamp, graceMs, fence)) {
      emit(context, 'set', fullKey, started);
    } else if (fence !== undefined) {
      context.options.logger.debug(
        `value for ${quoteKey(fullKey)} was computed but not cached: another write overtook it`,
        { key: fullKey, store: context.store.name },
      );
    }
  } catch (error) {
    if (!isInputError(error)) throw error;
    report(
      context,
      'error',
      fullKey,
      `value for ${quoteKey(fullKey)} was computed but not cached: ${errorMessage(error)}`,
      'error',
      error,
    );
  }
  return value;
}
