import { quoteKey } from '../errors.js';
import type { CacheLogger } from '../shared/logger.js';
import {
  decodeEntry,
  decodeHead,
  ENVELOPE_HEAD_LENGTH,
  type Entry,
  encodeEntry,
} from './envelope.js';
import type { Fence, GuardedStore } from './guarded-store.js';
import { type Serializer, serializeValue } from './serializer.js';
import type { Stamp, TagState } from './tags/tag-state.js';

/** Returned by {@link Entries} for no usable value: absent, expired, or malformed. */
export const NO_VALUE: unique symbol = Symbol('glasswork.noValue');

/**
 * Reads and writes enveloped entries through the guarded store: serialization, the
 * envelope, invalidation (an entry of an older generation or tag version reads as absent)
 * and logging of malformed entries (which read as misses).
 */
export class Entries {
  readonly #store: GuardedStore;
  readonly #serializer: Serializer;
  readonly #logger: CacheLogger;
  readonly #tags: TagState;

  constructor(store: GuardedStore, serializer: Serializer, logger: CacheLogger, tags: TagState) {
    this.#store = store;
    this.#serializer = serializer;
    this.#logger = logger;
    this.#tags = tags;
  }

  /**
   * Reads the entry under `fullKey`, expired or not; `undefined` when absent, malformed or
   * invalidated. With `tags` (those the caller expects the entry to carry), their versions
   * are read in the same round trip.
   */
  async read(
    fullKey: string,
    tags: readonly string[] = [],
    again = false,
  ): Promise<Entry | undefined> {
    let raw: string | undefined;
    let known: Map<string, string | undefined> | undefined;
    if (tags.length === 0) {
      const reading = this.#store.get(fullKey);
      this.#tags.prime();
      raw = await reading;
    } else {
      const keys = tags.map((tag) => this.#tags.tagKey(tag));
      const reading = this.#store.getMany([fullKey, ...keys]);
      this.#tags.prime();
      const raws = await reading;
      raw = raws[0];
      known = new Map(keys.map((key, i) => [key, raws[i + 1]]));
    }
    const entry = this.decode(fullKey, raw);
    if (entry === undefined) return undefined;
    const valid = this.#tags.check(entry, known);
    if (typeof valid === 'boolean') return valid ? entry : undefined;
    if (!(await valid)) return undefined;
    // An in-memory copy may have aged past maxAgeMs while its validity was read: once more.
    return again || this.#store.servedFrom(fullKey) !== 'l1'
      ? entry
      : this.read(fullKey, tags, true);
  }

  /** Reads the entry under `fullKey` and its value if it is fresh now; `undefined` otherwise. */
  async readFresh(
    fullKey: string,
    tags: readonly string[] = [],
  ): Promise<{ value: unknown; entry: Entry } | undefined> {
    const entry = await this.read(fullKey, tags);
    if (entry === undefined || entry.expiresAtMs <= Date.now()) return undefined;
    const value = this.value(fullKey, entry);
    return value === NO_VALUE ? undefined : { value, entry };
  }

  /**
   * Whether an unexpired, well-formed entry exists under `fullKey`, judged by the entry's
   * own expiry (an entry kept for stale-if-error outlives it in the store), reading only
   * the envelope's head where the store can.
   */
  async isFresh(fullKey: string): Promise<boolean> {
    const reading = this.#store.getHead(fullKey, ENVELOPE_HEAD_LENGTH);
    this.#tags.prime();
    const raw = await reading;
    if (raw === undefined) return false;
    const head = decodeHead(raw);
    if (head === undefined || head.tagged) {
      // A tagged entry (its versions follow the head), a head cut short (a store may cut
      // it shorter than asked), or not an envelope: read it whole.
      const entry = await this.read(fullKey);
      return entry !== undefined && entry.expiresAtMs > Date.now();
    }
    if (head.expiresAtMs <= Date.now()) return false;
    return this.#tags.check({ generation: head.generation, tags: [] });
  }

  /** Unwraps a stored payload; `undefined` when absent or malformed (logged). */
  decode(fullKey: string, raw: string | undefined): Entry | undefined {
    if (raw === undefined) return undefined;
    const entry = decodeEntry(raw);
    if (entry === undefined) this.#malformed(fullKey, 'it is not a glasswork entry');
    return entry;
  }

  /**
   * The value of a stored payload if it is fresh at `nowMs` and valid, else {@link NO_VALUE};
   * a promise of either when its validity needs a read (a tagged entry).
   */
  fresh(fullKey: string, raw: string | undefined, nowMs: number): unknown {
    const entry = this.decode(fullKey, raw);
    if (entry === undefined || entry.expiresAtMs <= nowMs) return NO_VALUE;
    const valid = this.#tags.check(entry);
    if (valid === true) return this.value(fullKey, entry);
    if (valid === false) return NO_VALUE;
    return valid.then((ok) => (ok ? this.value(fullKey, entry) : NO_VALUE));
  }

  /** The value an entry holds, or {@link NO_VALUE} (logged). */
  value(fullKey: string, entry: Entry): unknown {
    try {
      return this.#serializer.deserialize(entry.payload);
    } catch (error) {
      // Only the error's name: parsers quote the input they failed on, and that is the value.
      const name = error instanceof Error ? error.name : typeof error;
      this.#malformed(fullKey, `it cannot be deserialized (${name})`);
      return NO_VALUE;
    }
  }

  /**
   * Serializes and stores `value` with `stamp` (see {@link TagState.capture}), logically
   * fresh for `ttlMs` and kept `graceMs` longer; with `fence`, only if the write was not
   * overtaken (see {@link GuardedStore.setFenced}). Resolves whether the store accepted it;
   * throws input errors (`E_SERIALIZE`, limits).
   */
  async write(
    fullKey: string,
    value: unknown,
    ttlMs: number,
    stamp: Stamp,
    graceMs = 0,
    fence?: Fence,
  ): Promise<boolean> {
    const payload = serializeValue(this.#serializer, value, fullKey);
    const createdAtMs = Date.now();
    const raw = encodeEntry({
      payload,
      createdAtMs,
      expiresAtMs: createdAtMs + ttlMs,
      generation: stamp.generation,
      tags: stamp.tags,
    });
    const storeTtlMs = ttlMs + graceMs;
    if (fence === undefined) return this.#store.set(fullKey, raw, storeTtlMs);
    if (await this.#store.setFenced(fullKey, raw, storeTtlMs, fence)) return true;
    if (!('absentAtMs' in fence)) return false;
    // The read found nothing usable, yet something is there: an entry written since (keep
    // it), or one the read could not use — not an envelope, or one it failed to read (too
    // large, a failure) that was written before it — which this write replaces.
    const head = await this.#store.getHead(fullKey, ENVELOPE_HEAD_LENGTH);
    if (head === undefined) return false;
    const entry = decodeHead(head);
    // Written since the read: keep it, unless it is invalid already (a tag or clear() since).
    if (
      entry !== undefined &&
      entry.createdAtMs >= fence.absentAtMs &&
      (await this.read(fullKey)) !== undefined
    ) {
      return false;
    }
    return this.#store.setFenced(fullKey, raw, storeTtlMs, { head });
  }

  #malformed(fullKey: string, reason: string): void {
    this.#logger.warn(`entry ${quoteKey(fullKey)} is treated as a miss: ${reason}`, {
      key: fullKey,
      store: this.#store.name,
    });
  }
}
