/**
 * Detects a stalled Redis connection with one timer per connection instead of one per
 * command (a per-command timer is a measurable share of a cache hit).
 *
 * Redis answers the commands of a connection in order, so "commands are pending and no
 * answer has arrived for `timeoutMs`" means the oldest pending command has waited that
 * long. A check runs every `timeoutMs / 2` while commands are pending; two checks in a row
 * without an answer call `onStall`, which fails the pending commands. A command therefore
 * fails between `timeoutMs` and `1.5 × timeoutMs` after the connection stopped answering.
 */
export class StallWatchdog {
  readonly #timeoutMs: number;
  readonly #onStall: () => void;
  #pending = 0;
  #answers = 0;
  #answersAtCheck = 0;
  #quietChecks = 0;
  #stalls = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(timeoutMs: number, onStall: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#onStall = onStall;
  }

  /** How many stalls were detected; a command whose wait spans a change failed by stall. */
  get stalls(): number {
    return this.#stalls;
  }

  /** Records a command sent. */
  sent(): void {
    if (this.#pending++ > 0) return;
    this.#answersAtCheck = this.#answers;
    this.#quietChecks = 0;
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#check(), Math.max(1, this.#timeoutMs / 2));
      this.#timer.unref();
    }
  }

  /** Records a command answered or failed. */
  answered(): void {
    this.#pending--;
    this.#answers++;
  }

  /** Stops watching (the connection is closing). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    if (this.#pending <= 0) {
      this.stop();
      return;
    }
    if (this.#answers !== this.#answersAtCheck) {
      this.#answersAtCheck = this.#answers;
      this.#quietChecks = 0;
      return;
    }
    if (++this.#quietChecks < 2) return;
    this.#quietChecks = 0;
    this.#stalls++;
    this.#onStall();
  }
}
