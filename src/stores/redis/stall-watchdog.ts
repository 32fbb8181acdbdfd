/**
 * Detects a stalled Redis connection with one timer per connection instead of one per
 * command (a per-command timer is a measurable share of a cache hit).
 *
 * Redis answers the commands of a connection in order, so "commands are pending and
 * nothing has arrived for `timeoutMs`" means the oldest pending command has waited at least
 * that long. A check runs every `timeoutMs / 2` while commands are pending. Progress is an
 * answer or any byte read from the socket (`bytesRead`), so a large reply that is still
 * arriving is never a stall, however long it takes.
 *
 * Quiet time counts only while the event loop was free to read the socket. When our own
 * process blocks the loop (GC, a large `JSON.parse`, CPU work), replies wait unread in the
 * socket and the check runs late: a check (or confirmation) that runs more than
 * `timeoutMs / 4` late restarts the quiet time instead of judging it. A check that finds
 * `timeoutMs` of quiet time confirms it one `setImmediate` later, after the loop's I/O
 * poll has read whatever arrived, and only then calls `onStall` (which fails the pending
 * commands). A command therefore fails between `timeoutMs` and `1.5 × timeoutMs` after
 * the connection stopped answering, counted from the end of the last block of the loop.
 */
export class StallWatchdog {
  readonly #timeoutMs: number;
  readonly #onStall: () => void;
  /** Bytes read so far by the current socket; any change is progress. */
  readonly #bytesRead: () => number;
  #pending = 0;
  #answers = 0;
  /** Answers and bytes read when progress was last seen. */
  #answersSeen = 0;
  #bytesSeen = 0;
  /** When the current wait for progress began, monotonic milliseconds (`performance.now()`). */
  #quietSinceMs = 0;
  #stalls = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** When the pending confirmation was scheduled, or `undefined`; monotonic milliseconds. */
  #judgedAtMs: number | undefined;
  /** When the last check ran; a later one than expected means the loop was blocked. */
  #lastCheckMs = 0;

  constructor(timeoutMs: number, onStall: () => void, bytesRead: () => number = () => 0) {
    this.#timeoutMs = timeoutMs;
    this.#onStall = onStall;
    this.#bytesRead = bytesRead;
  }

  /** How many stalls were detected; a command whose wait spans a change failed by stall. */
  get stalls(): number {
    return this.#stalls;
  }

  /** Records a command sent. */
  sent(): void {
    if (this.#pending++ > 0) return;
    this.#answersSeen = this.#answers;
    this.#bytesSeen = this.#bytesRead();
    this.#quietSinceMs = performance.now();
    if (this.#timer === undefined) {
      this.#lastCheckMs = this.#quietSinceMs;
      this.#timer = setInterval(() => this.#check(), this.#intervalMs);
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

  get #intervalMs(): number {
    return Math.max(1, this.#timeoutMs / 2);
  }

  /** Whether the loop ran more than `timeoutMs / 4` later than `dueMs`. */
  #late(nowMs: number, dueMs: number): boolean {
    return nowMs - dueMs > this.#timeoutMs / 4;
  }

  #check(): void {
    if (this.#pending <= 0) {
      this.stop();
      return;
    }
    const now = performance.now();
    const due = this.#lastCheckMs + this.#intervalMs;
    this.#lastCheckMs = now;
    if (this.#judgedAtMs !== undefined || this.#progressed(now)) return;
    if (this.#late(now, due)) {
      // The loop was blocked: what arrived meanwhile is still unread.
      this.#quietSinceMs = now;
      return;
    }
    if (now - this.#quietSinceMs < this.#timeoutMs) return;
    // Confirm after the loop's next I/O poll (which runs before immediates).
    this.#judgedAtMs = now;
    setImmediate(() => this.#confirm());
  }

  #confirm(): void {
    const judgedAt = this.#judgedAtMs ?? 0;
    this.#judgedAtMs = undefined;
    if (this.#pending <= 0 || this.#timer === undefined) return;
    const now = performance.now();
    if (this.#progressed(now)) return;
    if (this.#late(now, judgedAt)) {
      this.#quietSinceMs = now;
      return;
    }
    this.#quietSinceMs = now;
    this.#stalls++;
    this.#onStall();
  }

  /** Whether an answer or a byte arrived since progress was last seen; restarts the wait if so. */
  #progressed(nowMs: number): boolean {
    const bytes = this.#bytesRead();
    if (this.#answers === this.#answersSeen && bytes === this.#bytesSeen) return false;
    this.#answersSeen = this.#answers;
    this.#bytesSeen = bytes;
    this.#quietSinceMs = nowMs;
    return true;
  }
}
