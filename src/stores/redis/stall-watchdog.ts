/**
 * Detects a stalled Redis connection with one timer per connection instead of one per
 * command (a per-command timer is a measurable share of a cache hit).
 *
 * Redis answers the commands of a connection in order, so "commands are pending and no
 * answer has arrived for `timeoutMs`" means the oldest pending command has waited at least
 * that long. A check runs every `timeoutMs / 2` while commands are pending and calls
 * `onStall`, which fails the pending commands, once no answer has arrived for `timeoutMs`
 * since the first pending command was sent or the last answer was seen. A command therefore
 * fails between `timeoutMs` and `1.5 × timeoutMs` after the connection stopped answering.
 */
export class StallWatchdog {
  readonly #timeoutMs: number;
  readonly #onStall: () => void;
  #pending = 0;
  #answers = 0;
  #answersAtCheck = 0;
  /** When the current wait for an answer began, epoch milliseconds. */
  #quietSinceMs = 0;
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
    this.#quietSinceMs = Date.now();
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

  /** Counts `command` from send to answer. */
  track<T>(command: Promise<T>): Promise<T> {
    this.sent();
    return command.then(
      (value) => {
        this.answered();
        return value;
      },
      (error: unknown) => {
        this.answered();
        throw error;
      },
    );
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
    const now = Date.now();
    if (this.#answers !== this.#answersAtCheck) {
      this.#answersAtCheck = this.#answers;
      this.#quietSinceMs = now;
      return;
    }
    if (now - this.#quietSinceMs < this.#timeoutMs) return;
    this.#quietSinceMs = now;
    this.#stalls++;
    this.#onStall();
  }
}
