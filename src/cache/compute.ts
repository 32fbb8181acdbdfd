import { quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import { settlesWithin } from '../shared/timers.js';
import type { WrapMessage } from './channels.js';
import type { CacheContext } from './context.js';
import { type Entry, entryHead } from './envelope.js';
import type { FlightCall } from './flights.js';
import type { Fence } from './guarded-store.js';
import { loadAndStore } from './load-and-store.js';
import type { Loader } from './loader-context.js';
import { waitForLockOrValue } from './lock-wait.js';
import type { ResolvedWrapOptions } from './options.js';
import { emit, report, reportRefreshError } from './report.js';

/** What a computation needs besides the key and the loader. */
export interface ComputePlan extends ResolvedWrapOptions {
  /** Logical lifetime of the computed entry, in milliseconds. */
  ttlMs: number;
  /** How much longer the store keeps it, for stale-if-error, in milliseconds. */
  graceMs: number;
  /**
   * An older value to fall back on (stale-if-error, soft timeout), and its entry: checked
   * again before it is served, so an invalidation made meanwhile is honoured.
   */
  stale?: { value: unknown; entry: Entry } | undefined;
  /** What a lock holder's write expects to find: the entry the read saw, or none. */
  fence?: Fence | undefined;
  /** The shared call this computation runs in. */
  call: FlightCall;
  /** The traced caller's message, when the `glasswork:wrap` channel is observed. */
  trace?: WrapMessage | undefined;
  /** Whether this computation already loaded again after joining an invalidated load. */
  reloaded?: boolean;
}

/**
 * What a lock holder's write expects to find: the entry the read saw (expired, or in its
 * stale-if-error window), or none as of `readAtMs`. `undefined` without `lock`: plain
 * writes are not fenced.
 */
export function lockFence(
  plan: ResolvedWrapOptions,
  entry: Entry | undefined,
  readAtMs: number,
): Fence | undefined {
  if (!plan.lock) return undefined;
  return entry === undefined ? { absentAtMs: readAtMs } : { head: entryHead(entry) };
}

/**
 * The compute step of `wrap` and of a `wrapSWR` miss: runs the loader once per key and
 * caches its result, with the coordination `plan` asks for — a cross-process lock, a soft
 * timeout that serves the stale value, and stale-if-error.
 */
export async function compute(
  context: CacheContext,
  fullKey: string,
  loader: Loader<unknown>,
  plan: ComputePlan,
): Promise<unknown> {
  // A load of this key may still be running here, past an earlier soft timeout: never start
  // a second one. With a stale value, serve it at once; without, wait for that load.
  let loading = context.flights.loading(fullKey);
  const joined = loading !== undefined;
  if (loading !== undefined && plan.stale !== undefined && (await stillValid(context, plan))) {
    emit(context, 'stale', fullKey);
    servedStale(plan, 'loading');
    return plan.stale.value;
  }
  if (loading === undefined) {
    let lease: string | undefined;
    if (plan.lock) {
      const outcome = await waitForLockOrValue(context, fullKey, plan.lockWaitMs, plan.trace);
      if (outcome.done) return outcome.value;
      lease = outcome.lease;
    }
    if (plan.call.abandoned) {
      // Every caller gave up while this call read or waited for the lock: load nothing.
      if (lease !== undefined) await context.leases.release(fullKey, lease);
      throw new DOMException(`every caller waiting for ${quoteKey(fullKey)} gave up`, 'AbortError');
    }
    loading = context.flights.load(fullKey, plan.call, (abandoned) =>
      loadAndStore(
        context,
        fullKey,
        loader,
        {
          ttlMs: plan.ttlMs,
          stale: plan.stale,
          hardTimeoutMs: plan.fnHardTimeoutMs,
          abandoned,
          refresh: false,
          fence: lease === undefined ? undefined : plan.fence,
          tags: plan.tags,
          onInvalidated: () => context.flights.markInvalidated(fullKey),
        },
        plan.graceMs,
      ),
    );
    if (lease !== undefined) {
      const token = lease;
      // The release is background work of its own: drain() waits for it, not for the load.
      const release = () => context.background.track(context.leases.release(fullKey, token));
      loading.then(release, release);
    }
  }
  try {
    if (plan.stale !== undefined && plan.fnTimeoutMs > 0) {
      if (!(await settlesWithin(loading, plan.fnTimeoutMs)) && (await stillValid(context, plan))) {
        report(
          context,
          'warn',
          fullKey,
          `loader for ${quoteKey(fullKey)} is slower than ${plan.fnTimeoutMs} ms; serving the stale value while it finishes`,
          'stale',
        );
        context.background.track(
          loading.then(noop, (error: unknown) => reportRefreshError(context, fullKey, error)),
        );
        servedStale(plan, 'timeout');
        return plan.stale.value;
      }
    }
    const value = await loading;
    // A load this call joined (started by another call, perhaps before an invalidation
    // this caller came after) whose value was invalidated meanwhile: load again, once.
    if (joined && !plan.reloaded && context.flights.invalidatedLoad(fullKey, loading)) {
      return await compute(context, fullKey, loader, { ...plan, reloaded: true });
    }
    return value;
  } catch (error) {
    if (plan.stale === undefined || !(await stillValid(context, plan))) throw error;
    report(
      context,
      'warn',
      fullKey,
      `loader for ${quoteKey(fullKey)} failed; serving the stale value: ${errorMessage(error)}`,
      'stale',
      error,
    );
    servedStale(plan, 'error');
    return plan.stale.value;
  }
}

/** Whether the stale fallback is still valid: no tag of it invalidated, no clear() since it was read. */
async function stillValid(context: CacheContext, plan: ComputePlan): Promise<boolean> {
  return plan.stale !== undefined && (await context.tags.check(plan.stale.entry));
}

/** Notes on the traced caller's message that it was served a stale value, and why. */
function servedStale(plan: ComputePlan, reason: NonNullable<WrapMessage['staleReason']>): void {
  if (plan.trace === undefined) return;
  plan.trace.outcome = 'stale';
  plan.trace.staleReason = reason;
}

function noop(): void {}
