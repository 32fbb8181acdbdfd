/**
 * Lets one report through per key per interval and counts the ones it held back, so an
 * outage logs a line every few seconds instead of one per call.
 */
export class Throttle {
  readonly #intervalMs: number;
  readonly #byKey = new Map<string, { nextAtMs: number; held: number }>();

  /** @param intervalMs the shortest time between two reports of one key, in milliseconds */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /**
   * Whether a report of `key` may go out now: `undefined` when it is held back, else the
   * number held back since the last one that went out.
   */
  pass(key: string, nowMs = Date.now()): number | undefined {
    const state = this.#byKey.get(key);
    if (state !== undefined && nowMs < state.nextAtMs) {
      state.held++;
      return undefined;
    }
    const held = state?.held ?? 0;
    if (this.#byKey.size > 1000) this.#byKey.clear();
    this.#byKey.set(key, { nextAtMs: nowMs + this.#intervalMs, held: 0 });
    return held;
  }
}
