/**
 * How long a generation read stays in use, in milliseconds: `clear()` waits this long (plus
 * the `l1` tier's `maxAgeMs`) after its write, so that every instance has read the new
 * generation by the time it resolves.
 */
export const GENERATION_CHECK_MS = 1000;

/** A generation read that failed: entries read meanwhile are misses, writes are never valid. */
export const UNKNOWN: unique symbol = Symbol('glasswork.unknownGeneration');

/** What a generation read found: a generation, none stored, or {@link UNKNOWN}. */
export type Generation = string | undefined | typeof UNKNOWN;

/**
 * The last generation this instance read, kept for {@link GENERATION_CHECK_MS} from the
 * moment the read was sent (not answered: a slow answer only shortens its use). Its age is
 * the larger of the monotonic and the wall-clock time elapsed, so neither a clock step nor
 * a process frozen between invocations extends it. `undefined` is "no generation stored";
 * a failed read is kept as {@link UNKNOWN} for as long, so an outage costs one read a second.
 */
export class GenerationCache {
  readonly #read: () => Promise<Generation>;
  #token: Generation;
  #sentMono = Number.NEGATIVE_INFINITY;
  #sentWallMs = 0;
  /** When the kept read stops being usable, on each clock; and when to read ahead (monotonic). */
  #untilMono = Number.NEGATIVE_INFINITY;
  #untilWallMs = Number.NEGATIVE_INFINITY;
  #aheadMono = Number.NEGATIVE_INFINITY;
  #loading: Promise<Generation> | undefined;
  #loadingSentMono = Number.NEGATIVE_INFINITY;
  /** Reads sent before this (monotonic) time are not kept: they may predate a local clear(). */
  #floorMono = Number.NEGATIVE_INFINITY;
  /** When the kept read was answered (monotonic). */
  #answeredMono = Number.NEGATIVE_INFINITY;

  /** `read` fetches the stored generation (`undefined` when absent, `UNKNOWN` on failure). */
  constructor(read: () => Promise<Generation>) {
    this.#read = read;
  }

  /**
   * Starts reading the generation again once the kept one is half its allowed age, so
   * that steady traffic never waits for it.
   */
  refreshAhead(): void {
    if (this.#loading === undefined && performance.now() >= this.#aheadMono) void this.load();
  }

  /** Whether the kept generation may be used now. */
  get fresh(): boolean {
    const wallMs = Date.now();
    return (
      wallMs < this.#untilWallMs &&
      wallMs >= this.#sentWallMs &&
      performance.now() < this.#untilMono
    );
  }

  /** How long ago the kept generation's read was answered, in milliseconds. */
  get answeredMs(): number {
    return performance.now() - this.#answeredMono;
  }

  /** The kept generation; meaningful only while {@link fresh}. */
  get token(): Generation {
    return this.#token;
  }

  /** The generation: the kept one while fresh, else one read now (concurrent calls share it). */
  current(): Generation | Promise<Generation> {
    return this.fresh ? this.#token : this.load();
  }

  /**
   * Reads the generation, sharing a read under way if it was sent recently. Resolves
   * {@link UNKNOWN} when the answer came too late to be used (sent a check interval ago).
   */
  load(): Promise<Generation> {
    if (
      this.#loading !== undefined &&
      performance.now() - this.#loadingSentMono < GENERATION_CHECK_MS / 2
    ) {
      return this.#loading;
    }
    const sentMono = performance.now();
    const sentWallMs = Date.now();
    const loading = this.#read().then((token) => {
      this.accept(token, sentMono, sentWallMs);
      const wallAge = Date.now() - sentWallMs;
      const late =
        performance.now() - sentMono >= GENERATION_CHECK_MS ||
        wallAge < 0 ||
        wallAge >= GENERATION_CHECK_MS;
      return late ? UNKNOWN : token;
    });
    this.#loading = loading;
    this.#loadingSentMono = sentMono;
    const done = () => {
      if (this.#loading === loading) this.#loading = undefined;
    };
    loading.then(done, done);
    return loading;
  }

  /** Keeps `token`, read by a call sent at `sentMono` / `sentWallMs`, unless a later read is kept. */
  accept(token: Generation, sentMono: number, sentWallMs: number): void {
    if (sentMono < this.#sentMono || sentMono < this.#floorMono) return;
    // A failed read ahead of time does not replace a generation still in use.
    if (token === UNKNOWN && this.#token !== UNKNOWN && this.fresh) return;
    this.#token = token;
    this.#answeredMono = performance.now();
    this.#sentMono = sentMono;
    this.#sentWallMs = sentWallMs;
    this.#untilMono = sentMono + GENERATION_CHECK_MS;
    this.#untilWallMs = sentWallMs + GENERATION_CHECK_MS;
    this.#aheadMono = sentMono + GENERATION_CHECK_MS / 2;
  }

  /** Forgets the kept generation: the next use reads it again. */
  forget(): void {
    this.#sentMono = Number.NEGATIVE_INFINITY;
    this.#untilMono = Number.NEGATIVE_INFINITY;
    this.#aheadMono = Number.NEGATIVE_INFINITY;
    this.#floorMono = performance.now();
    this.#loading = undefined;
  }
}
