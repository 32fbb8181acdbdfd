import { isInputError, quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import { type CacheCore, emit, report, settlesWithin, sleep, startTimer } from './core.js';
import { NO_VALUE } from './entries.js';
import type { Entry } from './envelope.js';
import type { ResolvedWrapOptions } from './options.js';

/** A function that computes a value on a miss. */
export type Loader<T> = () => T | PromiseLike<T>;

/** What a computation needs besides the key and the loader. */
export interface ComputePlan extends ResolvedWrapOptions {
  /** Logical lifetime of the computed entry, in milliseconds. */
  ttlMs: number;
  /** How much longer the store keeps it, for stale-if-error, in milliseconds. */
  graceMs: number;
  /** An older value to fall back on (stale-if-error, soft timeout). */
  stale?: { value: unknown } | undefined;
}

/** How often a `lock` loser polls for the winner's value: from 10 ms, doubling, up to 200 ms. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * Runs the loader and caches its result, with the coordination `plan` asks for:
 * a cross-process lock, a soft timeout that serves the stale value, and stale-if-error.
 */
export async function compute(
  core: CacheCore,
  fullKey: string,
  loader: Loader<unknown>,
  plan: ComputePlan,
): Promise<unknown> {
  // A load of this key may still be running here, past an earlier soft timeout: never start
  // a second one. With a stale value, serve it at once; without, wait for that load.
  let loading = core.loads.running(fullKey);
  if (loading !== undefined && plan.stale !== undefined) {
    emit(core, 'stale', fullKey);
    return plan.stale.value;
  }
  if (loading === undefined) {
    let lease: string | undefined;
    if (plan.lock) {
      const outcome = await waitForLockOrValue(core, fullKey, plan);
      if (outcome.done) return outcome.value;
      lease = outcome.lease;
    }
    loading = core.loads.run(fullKey, () =>
      loadAndStore(core, fullKey, loader, plan.ttlMs, plan.graceMs),
    );
    if (lease !== undefined) {
      const token = lease;
      const release = () => core.leases.release(fullKey, token);
      loading.then(release, release);
    }
  }
  try {
    if (plan.stale !== undefined && plan.fnTimeoutMs > 0) {
      const settled = await settlesWithin(loading, plan.fnTimeoutMs);
      if (!settled) {
        report(
          core,
          'warn',
          fullKey,
          `loader for ${quoteKey(fullKey)} is slower than ${plan.fnTimeoutMs} ms; serving the stale value while it finishes`,
          'stale',
        );
        core.background.track(
          loading.then(noop, (error: unknown) => logRefreshError(core, fullKey, error)),
        );
        return plan.stale.value;
      }
    }
    return await loading;
  } catch (error) {
    if (plan.stale === undefined) throw error;
    report(
      core,
      'warn',
      fullKey,
      `loader for ${quoteKey(fullKey)} failed; serving the stale value: ${errorMessage(error)}`,
      'stale',
      error,
    );
    return plan.stale.value;
  }
}

/** Runs the loader and stores its result; caching problems are logged, never thrown. */
export async function loadAndStore(
  core: CacheCore,
  fullKey: string,
  loader: Loader<unknown>,
  ttlMs: number,
  graceMs: number,
): Promise<unknown> {
  const value = await loader();
  if (value === undefined) return undefined;
  try {
    const started = startTimer(core);
    if (await core.entries.write(fullKey, value, ttlMs, graceMs))
      emit(core, 'set', fullKey, started);
  } catch (error) {
    if (!isInputError(error)) throw error;
    report(
      core,
      'error',
      fullKey,
      `value for ${quoteKey(fullKey)} was computed but not cached: ${errorMessage(error)}`,
      'error',
      error,
    );
  }
  return value;
}

/** Logs a failure of work nobody awaits. */
export function logRefreshError(core: CacheCore, fullKey: string, error: unknown): void {
  report(
    core,
    'error',
    fullKey,
    `refresh of ${quoteKey(fullKey)} failed; serving the stale value: ${errorMessage(error)}`,
    'refresh-error',
    error,
  );
}

/** Done with the winner's value, or go on and compute (holding the lease `token`, if any). */
type LockOutcome = { done: true; value: unknown } | { done: false; lease?: string | undefined };

/**
 * Takes the lease on `fullKey`, or waits for the instance holding it to store the value.
 * Polls with backoff; retries the lease on every poll so a failed or crashed holder is
 * replaced promptly. After `lockWaitMs`, gives up waiting and lets the caller compute.
 */
async function waitForLockOrValue(
  core: CacheCore,
  fullKey: string,
  plan: ComputePlan,
): Promise<LockOutcome> {
  // The lease outlives the wait: a holder keeps it while losers wait, at least 1 s.
  const leaseMs = Math.max(plan.lockWaitMs, 1000);
  const deadline = Date.now() + plan.lockWaitMs;
  const started = startTimer(core);
  let delayMs = FIRST_POLL_MS;
  let waited = false;
  for (;;) {
    const outcome = await core.leases.acquire(fullKey, leaseMs);
    if (outcome.state !== 'held') {
      if (waited) emit(core, 'lock-wait', fullKey, started);
      if (outcome.state === 'unavailable') return { done: false };
      // Another instance may have stored the value just before releasing its lease.
      const fresh = await readFresh(core, fullKey);
      if (fresh !== undefined) {
        await core.leases.release(fullKey, outcome.token);
        return { done: true, value: fresh.value };
      }
      return { done: false, lease: outcome.token };
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      emit(core, 'lock-wait', fullKey, started);
      report(
        core,
        'warn',
        fullKey,
        `waited ${plan.lockWaitMs} ms for another instance to compute ${quoteKey(fullKey)}; computing it here`,
      );
      return { done: false };
    }
    waited = true;
    await sleep(Math.min(remainingMs, delayMs * (0.5 + Math.random())));
    delayMs = Math.min(delayMs * 2, MAX_POLL_MS);
    const fresh = await readFresh(core, fullKey);
    if (fresh !== undefined) {
      emit(core, 'lock-wait', fullKey, started);
      return { done: true, value: fresh.value };
    }
  }
}

/** Reads an unexpired, well-formed value. */
export async function readFresh(
  core: CacheCore,
  fullKey: string,
): Promise<{ value: unknown; entry: Entry } | undefined> {
  const entry = await core.entries.read(fullKey);
  if (entry === undefined || entry.expiresAtMs <= Date.now()) return undefined;
  const value = core.entries.value(fullKey, entry);
  return value === NO_VALUE ? undefined : { value, entry };
}

function noop(): void {}
