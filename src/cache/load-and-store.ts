import { isInputError, quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import type { CacheContext } from './context.js';
import type { Fence } from './guarded-store.js';
import { emit, report, startTimer } from './report.js';

/** A function that computes a value on a miss. */
export type Loader<T> = () => T | PromiseLike<T>;

/**
 * Runs the loader and stores its result, logically fresh for `ttlMs` and kept `graceMs`
 * longer; with `fence`, only if no other write overtook it meanwhile (refreshes and lock
 * holders: a loader frozen with its Lambda environment must not overwrite a newer entry).
 * Resolves the loader's result (`undefined` is returned, not stored); rejects only with
 * the loader's own error. Caching problems are logged, never thrown.
 */
export async function loadAndStore(
  context: CacheContext,
  fullKey: string,
  loader: Loader<unknown>,
  ttlMs: number,
  graceMs: number,
  fence?: Fence,
): Promise<unknown> {
  const value = await loader();
  if (value === undefined) return undefined;
  try {
    const started = startTimer(context);
    if (await context.entries.write(fullKey, value, ttlMs, graceMs, fence)) {
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
