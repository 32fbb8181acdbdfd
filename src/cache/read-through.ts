import { type ComputePlan, compute, type Loader } from './compute.js';
import { type CacheCore, emit, settlesWithin, startTimer } from './core.js';
import { NO_VALUE } from './entries.js';
import { NOT_REFRESHED, type Refresher } from './refresher.js';

/**
 * The read-or-compute of `wrap`: a fresh entry is a hit; otherwise the loader runs (with an
 * expired entry still inside its stale-if-error window kept as the fallback).
 */
export async function readThrough(
  core: CacheCore,
  fullKey: string,
  loader: Loader<unknown>,
  plan: ComputePlan,
): Promise<unknown> {
  const started = startTimer(core);
  const entry = await core.entries.read(fullKey);
  const now = Date.now();
  let stale: { value: unknown } | undefined;
  if (entry !== undefined && entry.expiresAtMs + plan.graceMs > now) {
    const value = core.entries.value(fullKey, entry);
    if (value !== NO_VALUE) {
      if (entry.expiresAtMs > now) {
        emit(core, 'hit', fullKey, started);
        return value;
      }
      stale = { value };
    }
  }
  emit(core, 'miss', fullKey, started);
  return compute(core, fullKey, loader, { ...plan, stale });
}

/**
 * The read of `wrapSWR`: fresh (younger than `staleMs`) is a hit; stale (up to the entry's
 * expiry, `plan.ttlMs` after it was written) is served and refreshed, in the background or
 * inline; absent or expired is computed.
 */
export async function staleWhileRevalidate(
  core: CacheCore,
  refresher: Refresher,
  fullKey: string,
  loader: Loader<unknown>,
  staleMs: number,
  plan: ComputePlan,
): Promise<unknown> {
  const started = startTimer(core);
  const entry = await core.entries.read(fullKey);
  const now = Date.now();
  const value =
    entry !== undefined && entry.expiresAtMs > now ? core.entries.value(fullKey, entry) : NO_VALUE;
  if (entry === undefined || value === NO_VALUE) {
    emit(core, 'miss', fullKey, started);
    return compute(core, fullKey, loader, plan);
  }
  if (now - entry.createdAtMs < staleMs) {
    emit(core, 'hit', fullKey, started);
    return value;
  }
  emit(core, 'stale', fullKey, started);
  if (plan.backgroundRefresh) {
    refresher.inBackground(fullKey, loader, staleMs, plan.ttlMs);
    return value;
  }
  const refreshing = refresher.inline(fullKey, loader, staleMs, plan.ttlMs);
  if (plan.fnTimeoutMs > 0 && !(await settlesWithin(refreshing, plan.fnTimeoutMs))) {
    core.background.track(refreshing.then(() => undefined));
    return value;
  }
  const refreshed = await refreshing;
  return refreshed === NOT_REFRESHED || refreshed === undefined ? value : refreshed;
}
