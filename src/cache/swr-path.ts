import { settlesWithin } from '../shared/timers.js';
import { type ComputePlan, compute, lockFence } from './compute.js';
import type { CacheContext } from './context.js';
import { NO_VALUE } from './entries.js';
import type { Loader } from './loader-context.js';
import { NOT_REFRESHED, type Refresher } from './refresher.js';
import { emit, startTimer } from './report.js';

/**
 * The read path of `wrapSWR`: fresh (younger than `staleMs`) is a hit; stale (up to the
 * entry's expiry, `plan.ttlMs` after it was written) is served and refreshed, in the
 * background or inline; absent or expired is computed.
 */
export async function swrPath(
  context: CacheContext,
  refresher: Refresher,
  fullKey: string,
  loader: Loader<unknown>,
  staleMs: number,
  plan: ComputePlan,
): Promise<unknown> {
  const started = startTimer(context);
  const readAtMs = Date.now();
  const entry = await context.entries.read(fullKey, plan.tags);
  const now = Date.now();
  const value =
    entry !== undefined && entry.expiresAtMs > now
      ? context.entries.value(fullKey, entry)
      : NO_VALUE;
  const trace = plan.trace;
  if (entry === undefined || value === NO_VALUE) {
    emit(context, 'miss', fullKey, started);
    if (trace !== undefined) trace.outcome = 'miss';
    return compute(context, fullKey, loader, { ...plan, fence: lockFence(plan, entry, readAtMs) });
  }
  if (now - entry.createdAtMs < staleMs) {
    emit(context, 'hit', fullKey, started);
    if (trace !== undefined) trace.outcome = 'hit';
    return value;
  }
  emit(context, 'stale', fullKey, started);
  if (trace !== undefined) {
    trace.outcome = 'stale';
    trace.staleReason = 'swr';
    trace.refresh = plan.backgroundRefresh ? 'background' : 'inline';
  }
  const refresh = {
    loader,
    staleMs,
    maxMs: plan.ttlMs,
    stale: value,
    entry,
    hardTimeoutMs: plan.fnHardTimeoutMs,
    tags: plan.tags,
  };
  if (plan.backgroundRefresh) {
    refresher.inBackground(fullKey, refresh);
    return value;
  }
  // Inline, the callers wait for the refresh: when all of them give up, its loader's signal aborts.
  const refreshing = refresher.inline(fullKey, { ...refresh, abandoned: plan.call.signal });
  if (plan.fnTimeoutMs > 0 && !(await settlesWithin(refreshing, plan.fnTimeoutMs))) {
    context.background.track(refreshing.then(() => undefined));
    return value;
  }
  const refreshed = await refreshing;
  return refreshed === NOT_REFRESHED || refreshed === undefined ? value : refreshed;
}
