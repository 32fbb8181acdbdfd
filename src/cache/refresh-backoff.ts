/** The first wait after a failed background refresh, in milliseconds. */
const FIRST_RETRY_MS = 1_000;
/** The longest wait between refresh attempts, in milliseconds. */
const MAX_RETRY_MS = 30_000;
/** How many failing keys are remembered; the oldest are forgotten first. */
const MAX_TRACKED_KEYS = 10_000;
/**
 * How long a running refresh holds its key, in milliseconds: one still running after that
 * (a hung loader) no longer keeps the key from being refreshed.
 */
const CLAIM_MS = 60_000;

/**
 * Decides when a stale key may be refreshed: at most one refresh per key at a time (a
 * refresh running for over 60 s, hung, no longer counts), and after a failure not again
 * until an exponential backoff (1 s, 2 s, 4 s… up to 30 s) has passed, so a failing
 * upstream is not called on every stale read.
 */
export class RefreshBackoff {
  /** When each running refresh began, epoch ms. */
  readonly #running = new Map<string, number>();
  readonly #failures = new Map<string, { count: number; retryAtMs: number }>();

  /** The number of refreshes in progress. */
  get running(): number {
    return this.#running.size;
  }

  /** Claims the right to refresh `key` now; `false` while one runs or during backoff. */
  tryBegin(key: string, nowMs: number): boolean {
    const since = this.#running.get(key);
    if (since !== undefined && nowMs - since < CLAIM_MS) return false;
    const failure = this.#failures.get(key);
    if (failure !== undefined && failure.retryAtMs > nowMs) return false;
    this.#running.set(key, nowMs);
    return true;
  }

  /** Ends the refresh of `key`; a failure postpones the next attempt. Returns the wait in ms. */
  end(key: string, succeeded: boolean, nowMs: number): number {
    this.#running.delete(key);
    if (succeeded) {
      this.#failures.delete(key);
      return 0;
    }
    const count = (this.#failures.get(key)?.count ?? 0) + 1;
    const waitMs = Math.min(FIRST_RETRY_MS * 2 ** (count - 1), MAX_RETRY_MS);
    this.#failures.delete(key);
    this.#failures.set(key, { count, retryAtMs: nowMs + waitMs });
    if (this.#failures.size > MAX_TRACKED_KEYS) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
    return waitMs;
  }
}
