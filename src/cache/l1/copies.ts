import { decodeHead } from '../envelope.js';

/** The most keys invalidated during reads that are remembered one by one. */
const MAX_TOUCHED = 10_000;

/** One entry's payload as this instance last read or wrote it. */
interface Copy {
  /** The envelope payload, exactly as stored: values are deserialized per read. */
  raw: string;
  /** When this instance started the store call that read or wrote it, epoch milliseconds. */
  readAtMs: number;
  /** Served until then: the envelope's expiry or `readAtMs + maxAgeMs`, whichever is first. */
  untilMs: number;
  /** And until then on the monotonic clock (`performance.now()`): a wall-clock step back never extends `maxAgeMs`. */
  untilMono: number;
  /** Whether the last read of this key was answered from here (for the `tier` of events). */
  served: boolean;
  /** Its place in the map's order: the value of the insertion counter when (re)inserted. */
  order: number;
}

/**
 * The copies of an L1 tier: a map in least-recently-used order, bounded by `maxEntries`,
 * (approximately: a hit moves a copy to the front only once it has fallen into the older
 * half, since moving costs a delete and an insert, about 1 µs, on every hit),
 * where a copy is usable only before its envelope expires and for `maxAgeMs` after it was
 * read or written. Expired envelopes are never served from here: the store, which knows
 * the physical TTL, answers for them (stale-if-error).
 *
 * A read that was overtaken by an invalidation never fills a copy: every read takes a
 * ticket (the invalidation clock when it started) and fills only if neither its key nor
 * everything (a pattern, a bus gap) was invalidated since.
 */
export class Copies {
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  /** How far back in insertion order a copy must be before a hit moves it to the front. */
  readonly #moveAfter: number;
  readonly #copies = new Map<string, Copy>();
  /** Counts insertions into the map. */
  #inserted = 0;
  /** Counts invalidations; a read's ticket is its value when the read started. */
  #clock = 0;
  /** The clock of the last invalidation of everything (a pattern, a gap). */
  #broadAt = 0;
  /** The clock of each key's last invalidation, kept while reads are in flight. */
  readonly #touched = new Map<string, number>();
  #reading = 0;

  constructor(maxEntries: number, maxAgeMs: number) {
    this.#maxEntries = maxEntries;
    this.#maxAgeMs = maxAgeMs;
    this.#moveAfter = Math.max(1, maxEntries >> 1);
  }

  /** The number of copies held. */
  get size(): number {
    return this.#copies.size;
  }

  /** The usable copy of `key`, made the most recently used; `undefined` (and dropped) otherwise. */
  get(key: string, nowMs: number): string | undefined {
    const copy = this.#copies.get(key);
    if (copy === undefined) return undefined;
    // A clock that went backwards makes the age unknown: drop the copy.
    if (nowMs >= copy.untilMs || nowMs < copy.readAtMs || performance.now() >= copy.untilMono) {
      this.#copies.delete(key);
      return undefined;
    }
    if (this.#inserted - copy.order >= this.#moveAfter) {
      this.#copies.delete(key);
      this.#copies.set(key, copy);
      copy.order = ++this.#inserted;
    }
    copy.served = true;
    return copy.raw;
  }

  /** Whether the last read of `key` was answered from a copy. */
  served(key: string): boolean {
    return this.#copies.get(key)?.served === true;
  }

  /** Starts a store read or write of a key; pass the ticket to {@link settle}. */
  begin(): number {
    this.#reading++;
    return this.#clock;
  }

  /**
   * Ends what {@link begin} started: keeps `raw` as the copy of `key` when it is a
   * well-formed, unexpired envelope and nothing invalidated `key` since the ticket.
   */
  settle(key: string, ticket: number, raw: string | undefined, readAtMs: number): void {
    const overtaken = this.#broadAt > ticket || (this.#touched.get(key) ?? 0) > ticket;
    if (--this.#reading === 0) this.#touched.clear();
    if (raw !== undefined && !overtaken) this.put(key, raw, readAtMs, Date.now());
  }

  /**
   * Keeps `raw` as the copy of `key`, read or written by a store call started at
   * `readAtMs`, when it is a well-formed envelope still usable at `nowMs`.
   */
  put(key: string, raw: string, readAtMs: number, nowMs: number): void {
    const entry = decodeHead(raw);
    if (entry === undefined) return;
    const untilMs = Math.min(entry.expiresAtMs, readAtMs + this.#maxAgeMs);
    if (untilMs <= nowMs || nowMs < readAtMs) return;
    const untilMono = performance.now() - (nowMs - readAtMs) + this.#maxAgeMs;
    this.#copies.delete(key);
    this.#copies.set(key, {
      raw,
      readAtMs,
      untilMs,
      untilMono,
      served: false,
      order: ++this.#inserted,
    });
    if (this.#copies.size > this.#maxEntries) {
      const oldest = this.#copies.keys().next().value as string;
      this.#copies.delete(oldest);
    }
  }

  /** Drops the copy of `key`; reads of it in flight keep nothing. */
  drop(key: string): void {
    this.#copies.delete(key);
    const clock = ++this.#clock;
    if (this.#reading === 0) return;
    // Reads may overlap forever under load: past a bound, overtake them all instead.
    if (this.#touched.size >= MAX_TOUCHED) {
      this.#touched.clear();
      this.#broadAt = clock;
    } else {
      this.#touched.set(key, clock);
    }
  }

  /** Drops every copy whose key `matches`; no read in flight keeps anything. */
  dropMatching(matches: (key: string) => boolean): void {
    for (const key of this.#copies.keys()) if (matches(key)) this.#copies.delete(key);
    this.#broadAt = ++this.#clock;
  }

  /** Drops every copy; no read in flight keeps anything. */
  clear(): void {
    this.#copies.clear();
    this.#broadAt = ++this.#clock;
  }
}
