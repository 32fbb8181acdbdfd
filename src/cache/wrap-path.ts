import { type ComputePlan, compute, lockFence } from './compute.js';
import type { CacheContext } from './context.js';
import { NO_VALUE } from './entries.js';
import type { Loader } from './loader-context.js';
import { emit, startTimer } from './report.js';

/**
 * The read path of `wrap`: a fresh entry is a hit; otherwise the loader runs (with an
 * expired entry still inside its stale-if-error window kept as the fallback).
 */
export async function wrapPath(
  context: CacheContext,
  fullKey: string,
  loader: Loader<unknown>,
  plan: ComputePlan,
): Promise<unknown> {
  const started = startTimer(context);
  const readAtMs = Date.now();
  const entry = await context.entries.read(fullKey, plan.tags);
  const now = Date.now();
  let stale: ComputePlan['stale'];
  if (entry !== undefined && entry.expiresAtMs + plan.graceMs > now) {
    const value = context.entries.value(fullKey, entry);
    if (value !== NO_VALUE) {
      if (entry.expiresAtMs > now) {
        emit(context, 'hit', fullKey, started);
        if (plan.trace !== undefined) plan.trace.outcome = 'hit';
        return value;
      }
      stale = { value, entry };
    }
  }
  emit(context, 'miss', fullKey, started);
  if (plan.trace !== undefined) plan.trace.outcome = 'miss';
  return compute(context, fullKey, loader, {
    ...plan,
    stale,
    fence: lockFence(plan, entry, readAtMs),
  });
}
