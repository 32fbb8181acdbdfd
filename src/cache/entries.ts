import { quoteKey } from '../errors.js';
import type { CacheLogger } from '../shared/logger.js';
import { decodeEntry, ENVELOPE_HEAD_LENGTH, type Entry, encodeEntry } from './envelope.js';
import type { Fence, GuardedStore } from './guarded-store.js';
import { type Serializer, serializeValue } from './serializer.js';

/** Returned by {@link Entries} for no usable value: absent, expired, or malformed. */
export const NO_VALUE: unique symbol = Symbol('glasswork.noValue');

/**
 * Reads and writes enveloped entries through the guarded store: serialization, the
 * envelope, and logging of malformed entries (which read as misses).
 */
export class Entries {
  readonly #store: GuardedStore;
  readonly #serializer: Serializer;
  readonly #logger: CacheLogger;

  constructor(store: GuardedStore, serializer: Serializer, logger: CacheLogger) {
    this.#store = store;
    this.#serializer = serializer;
    this.#logger = logger;
  }

  /** Reads the entry under `fullKey`, expired or not; `undefined` when absent or malformed. */
  read(fullKey: string): Promise<Entry | undefined> {
    return this.#store.get(fullKey).then((raw) => this.decode(fullKey, raw));
  }

  /** Reads the entry under `fullKey` and its value if it is fresh now; `undefined` otherwise. */
  async readFresh(fullKey: string): Promise<{ value: unknown; entry: Entry } | undefined> {
    const entry = await this.read(fullKey);
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
    const entry = this.decode(fullKey, await this.#store.getHead(fullKey, ENVELOPE_HEAD_LENGTH));
    return entry !== undefined && entry.expiresAtMs > Date.now();
  }

  /** Unwraps a stored payload; `undefined` when absent or malformed (logged). */
  decode(fullKey: string, raw: string | undefined): Entry | undefined {
    if (raw === undefined) return undefined;
    const entry = decodeEntry(raw);
    if (entry === undefined) this.#malformed(fullKey, 'it is not a glasswork entry');
    return entry;
  }

  /** The value of a stored payload if it is fresh at `nowMs`, else {@link NO_VALUE}. */
  fresh(fullKey: string, raw: string | undefined, nowMs: number): unknown {
    const entry = this.decode(fullKey, raw);
    return entry === undefined || entry.expiresAtMs <= nowMs
      ? NO_VALUE
      : this.value(fullKey, entry);
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
   * Serializes and stores `value`, logically fresh for `ttlMs` and kept `graceMs` longer;
   * with `fence`, only if the write was not overtaken (see {@link GuardedStore.setFenced}).
   * Resolves whether the store accepted it; throws input errors (`E_SERIALIZE`, limits).
   */
  async write(
    fullKey: string,
    value: unknown,
    ttlMs: number,
    graceMs = 0,
    fence?: Fence,
  ): Promise<boolean> {
    const payload = serializeValue(this.#serializer, value, fullKey);
    const createdAtMs = Date.now();
    const raw = encodeEntry({ payload, createdAtMs, expiresAtMs: createdAtMs + ttlMs });
    const storeTtlMs = ttlMs + graceMs;
    if (fence === undefined) return this.#store.set(fullKey, raw, storeTtlMs);
    if (await this.#store.setFenced(fullKey, raw, storeTtlMs, fence)) return true;
    if (!('absentAtMs' in fence)) return false;
    // The read found nothing usable, yet something is there: an entry written since (keep
    // it), or one the read could not use — not an envelope, or one it failed to read (too
    // large, a failure) that was written before it — which this write replaces.
    const head = await this.#store.getHead(fullKey, ENVELOPE_HEAD_LENGTH);
    if (head === undefined) return false;
    const entry = decodeEntry(head);
    if (entry !== undefined && entry.createdAtMs >= fence.absentAtMs) return false;
    return this.#store.setFenced(fullKey, raw, storeTtlMs, { head });
  }

  #malformed(fullKey: string, reason: string): void {
    this.#logger.warn(`entry ${quoteKey(fullKey)} is treated as a miss: ${reason}`, {
      key: fullKey,
      store: this.#store.name,
    });
  }
}
