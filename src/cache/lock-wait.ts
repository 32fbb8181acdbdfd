import { quoteKey } from '../errors.js';
import { sleep } from '../shared/timers.js';
import type { WrapMessage } from './channels.js';
import type { CacheContext } from './context.js';
import { emit, report, startTimer } from './report.js';

/** How often a `lock` loser polls for the winner's value: from 10 ms, doubling, up to 200 ms. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;
/** The shortest lock lease, in milliseconds: a holder keeps it while losers wait. */
const MIN_LEASE_MS = 1000;

/** Done with the winner's value, or go on and compute (holding the lease `token`, if any). */
export type LockOutcome =
  | { done: true; value: unknown }
  | { done: false; lease?: string | undefined };

/**
 * The `lock` step of `wrap`: takes the lease on `fullKey`, or waits for the instance
 * holding it to store the value. Polls with backoff and retries the lease on every poll,
 * so a failed or crashed holder is replaced promptly. After `lockWaitMs`, gives up waiting
 * and lets the caller compute.
 */
export async function waitForLockOrValue(
  context: CacheContext,
  fullKey: string,
  lockWaitMs: number,
  trace?: WrapMessage,
): Promise<LockOutcome> {
  const leaseMs = Math.max(lockWaitMs, MIN_LEASE_MS);
  const deadline = Date.now() + lockWaitMs;
  const started = startTimer(context);
  const begun = Date.now();
  const note = (lock: NonNullable<WrapMessage['lock']>, waited: boolean) => {
    if (trace === undefined) return;
    trace.lock = lock;
    if (waited) trace.lockWaitMs = Date.now() - begun;
  };
  let delayMs = FIRST_POLL_MS;
  let waited = false;
  for (;;) {
    const outcome = await context.leases.acquire(fullKey, leaseMs);
    if (outcome.state !== 'held') {
      if (waited) emit(context, 'lock-wait', fullKey, started);
      note(
        outcome.state === 'unavailable' ? 'unavailable' : waited ? 'waited' : 'acquired',
        waited,
      );
      if (outcome.state === 'unavailable') return { done: false };
      // Another instance may have stored the value just before releasing its lease.
      const fresh = await context.entries.readFresh(fullKey);
      if (fresh !== undefined) {
        await context.leases.release(fullKey, outcome.token);
        return { done: true, value: fresh.value };
      }
      return { done: false, lease: outcome.token };
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      emit(context, 'lock-wait', fullKey, started);
      note('timed-out', true);
      report(
        context,
        'warn',
        fullKey,
        `waited ${lockWaitMs} ms for another instance to compute ${quoteKey(fullKey)}; computing it here`,
      );
      return { done: false };
    }
    waited = true;
    await sleep(Math.min(remainingMs, delayMs * (0.5 + Math.random())));
    delayMs = Math.min(delayMs * 2, MAX_POLL_MS);
    const fresh = await context.entries.readFresh(fullKey);
    if (fresh !== undefined) {
      emit(context, 'lock-wait', fullKey, started);
      note('waited', true);
      return { done: true, value: fresh.value };
    }
  }
}
