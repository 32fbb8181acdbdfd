/**
 * Tracks work that outlives the call that started it (background refreshes), so that
 * `drain()` can wait for it before a Lambda handler returns.
 */
export class BackgroundTasks {
  readonly #tasks = new Set<Promise<void>>();

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
  }

  /** Resolves once every task tracked so far, and any task they start, has settled. */
  async drain(): Promise<void> {
    while (this.#tasks.size > 0) {
      await Promise.allSettled([...this.#tasks]);
    }
  }
}
