import { remainingMs, settlesWithin } from '../shared/timers.js';
import { callUserCode } from '../shared/user-code.js';

/**
 * Tracks work that outlives the call that started it (background refreshes, loaders
 * past a soft timeout), so that `drain()` can wait for it before a Lambda handler returns,
 * and hands it to the platform's `waitUntil` where one was given.
 */
export class BackgroundTasks {
  readonly #tasks = new Set<Promise<void>>();
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;

  /** @param waitUntil the platform's hand-over, user code: a throw or rejection is contained */
  constructor(waitUntil: ((promise: Promise<unknown>) => void) | undefined) {
    this.#waitUntil = waitUntil;
  }

  /** The number of tasks still running. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Tracks `task`, which must never reject (callers handle their own errors). */
  track(task: Promise<void>): void {
    this.#tasks.add(task);
    const forget = () => {
      this.#tasks.delete(task);
    };
    task.then(forget, forget);
    const waitUntil = this.#waitUntil;
    if (waitUntil === undefined) return;
    callUserCode('waitUntil', () => waitUntil(task));
  }

  /**
   * Resolves once every task tracked so far, and any task they start, has settled, or
   * after `timeoutMs`. Resolves whether nothing is left running.
   */
  async drain(timeoutMs?: number): Promise<boolean> {
    const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    while (this.#tasks.size > 0) {
      const settled = Promise.allSettled([...this.#tasks]);
      if (deadline === undefined) await settled;
      else if (!(await settlesWithin(settled, remainingMs(deadline)))) break;
    }
    return this.#tasks.size === 0;
  }
}
