import { decodeEntry, type Entry, encodeEntry } from '../envelope.js';
import type { GuardedStore } from '../guarded-store.js';
import { MAX_TTL_SECONDS } from '../validate.js';
import { GENERATION_CHECK_MS, type Generation, GenerationCache, UNKNOWN } from './generation.js';
import { stateKeyBase } from './state-keys.js';

/**
 * What an entry records when it is written: the generation and, for each tag, its version
 * (`[tag, version, …]`), both read before its value was computed.
 */
export interface Stamp {
  generation: string;
  tags: readonly string[];
}

/**
 * How long a version or a generation is kept in the store, in milliseconds: the longest
 * TTL an entry may have. Correctness never rests on it: a version that is gone reads as
 * "invalidated", so losing one (expiry, eviction, a pattern delete) only costs misses.
 */
const STATE_TTL_MS = MAX_TTL_SECONDS * 1000;

/**
 * How long after the kept generation was read an entry of another generation (or a write
 * after a failed read) makes this instance read it again, in milliseconds (a kept "none"
 * is read again at once).
 */
const RECHECK_MS = 100;

/** How long after a failed generation read a write reads it again, in milliseconds. */
const CAPTURE_RETRY_MS = 10;

/** A version or generation: 8 base-36 characters (~41 bits), random. */
const TOKEN = /^[0-9a-z]{8}$/;

/** Tags and clear() in O(1) store writes: versions, never scans. */
export class TagState {
  readonly #store: GuardedStore;
  readonly #base: string;
  readonly #generation: GenerationCache;
  readonly #generationKey: string;

  /**
   * @param store the service's guarded store (its `l1` tier, if any, keeps tag versions
   *   like entries, within its maxAgeMs; the generation is always read from the store)
   * @param keyPrefix the service's prefix: its tags and generation are its own
   */
  constructor(store: GuardedStore, keyPrefix: string | undefined) {
    this.#store = store;
    this.#base = stateKeyBase(keyPrefix);
    this.#generationKey = `${this.#base}generation`;
    this.#generation = new GenerationCache(() =>
      this.#store
        .getOr(this.#generationKey, UNKNOWN)
        .then((raw) => (raw === UNKNOWN ? UNKNOWN : tokenOf(raw))),
    );
  }

  /** The store key of `tag`'s version. */
  tagKey(tag: string): string {
    return `${this.#base}tag:${tag}`;
  }

  /** The payloads under `keys` (versions): one batch read (an `l1` tier serves its copies). */
  #readMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.length === 0 ? Promise.resolve([]) : this.#store.getMany(keys);
  }

  /**
   * Starts reading the generation when the kept one is half its allowed age, so that a read
   * overlaps it (and steady traffic never waits for it).
   */
  prime(): void {
    this.#generation.refreshAhead();
  }

  /**
   * Whether an entry is still valid: written under the current generation and, for each of
   * its tags, at the current version. Synchronous when nothing needs reading; `known` holds
   * versions already read (raw payloads by tag key).
   */
  check(
    entry: Pick<Entry, 'generation' | 'tags'>,
    known?: ReadonlyMap<string, string | undefined>,
  ): boolean | Promise<boolean> {
    let generation = this.#generation.fresh ? this.#generation.token : NOT_KEPT;
    if (generation !== NOT_KEPT && !matches(entry.generation, generation)) {
      // The entry may be newer than what this instance kept (another instance made the
      // first generation, or cleared): read it again, at most every RECHECK_MS.
      if (generation !== undefined && this.#generation.answeredMs < RECHECK_MS) return false;
      generation = NOT_KEPT;
    }
    if (entry.tags.length === 0) {
      // The hot path: an untagged entry and a kept generation.
      return generation !== NOT_KEPT || this.#checkRead(entry, generation, [], known);
    }
    const missing: string[] = [];
    for (let i = 0; i < entry.tags.length; i += 2) {
      const key = this.tagKey(entry.tags[i]!);
      if (known?.has(key)) {
        if (!matches(entry.tags[i + 1]!, tokenOf(known.get(key)))) return false;
      } else missing.push(key);
    }
    if (generation !== NOT_KEPT && missing.length === 0) return true;
    return this.#checkRead(entry, generation, missing, known);
  }

  async #checkRead(
    entry: Pick<Entry, 'generation' | 'tags'>,
    generation: Generation | typeof NOT_KEPT,
    missing: string[],
    known: ReadonlyMap<string, string | undefined> | undefined,
  ): Promise<boolean> {
    const [current, raws] = await Promise.all([
      generation === NOT_KEPT ? this.#generation.load() : Promise.resolve(generation),
      this.#readMany(missing),
    ]);
    if (!matches(entry.generation, current)) return false;
    const read = new Map(known);
    for (const [i, key] of missing.entries()) read.set(key, raws[i]);
    for (let i = 0; i < entry.tags.length; i += 2) {
      const raw = read.get(this.tagKey(entry.tags[i]!));
      if (!matches(entry.tags[i + 1]!, tokenOf(raw))) return false;
    }
    return true;
  }

  /** {@link check} for many entries (`undefined`: no entry), reading what they need at once. */
  checkMany(entries: readonly (Entry | undefined)[]): boolean[] | Promise<boolean[]> {
    const keys = new Set<string>();
    for (const entry of entries) {
      for (let i = 0; entry !== undefined && i < entry.tags.length; i += 2) {
        keys.add(this.tagKey(entry.tags[i]!));
      }
    }
    if (keys.size === 0 && this.#generation.fresh) {
      return entries.map((entry) => entry !== undefined && this.check(entry) === true);
    }
    return this.#checkManyRead(entries, [...keys]);
  }

  async #checkManyRead(
    entries: readonly (Entry | undefined)[],
    keys: string[],
  ): Promise<boolean[]> {
    const [, raws] = await Promise.all([this.#generation.current(), this.#readMany(keys)]);
    const known = new Map(keys.map((key, i) => [key, raws[i]]));
    return Promise.all(entries.map((entry) => entry !== undefined && this.check(entry, known)));
  }

  /**
   * The stamp a write records: the generation and the current version of each tag, made
   * (atomically where the store can) for a tag that has none. Read before a loader runs, so
   * an invalidation during the load makes its result invalid. Where the store fails, the
   * stamp is one that is never valid: the entry written with it is never served.
   */
  capture(tags: readonly string[]): Stamp | Promise<Stamp> {
    const generation = this.#generation.fresh ? this.#generation.token : undefined;
    if (typeof generation === 'string' && tags.length === 0) return { generation, tags: [] };
    return this.#captureRead(tags);
  }

  async #captureRead(tags: readonly string[]): Promise<Stamp> {
    const [generation, versions] = await Promise.all([
      this.#captureGeneration(),
      this.#versionsOf(tags),
    ]);
    return { generation, tags: tags.flatMap((tag, i) => [tag, versions[i]!]) };
  }

  async #captureGeneration(): Promise<string> {
    let kept = await this.#generation.current();
    // A read that failed just now (this call's own, in an outage): no second wait, and the
    // entry is never valid. An older failure is retried: the store may be back.
    if (kept === UNKNOWN && this.#generation.answeredMs >= CAPTURE_RETRY_MS) {
      kept = await this.#generation.load();
    }
    if (kept === UNKNOWN) return '';
    if (kept !== undefined) return kept;
    const sentMono = performance.now();
    const sentWallMs = Date.now();
    const made = await this.#make(this.#generationKey);
    if (made !== undefined) this.#generation.accept(made, sentMono, sentWallMs);
    return made ?? '';
  }

  async #versionsOf(tags: readonly string[]): Promise<string[]> {
    if (tags.length === 0) return [];
    const keys = tags.map((tag) => this.tagKey(tag));
    const raws = await this.#readMany(keys);
    return Promise.all(
      keys.map(async (key, i) => tokenOf(raws[i]) ?? (await this.#make(key)) ?? ''),
    );
  }

  /**
   * A first version under `key`: written only if there is none (where the store can tell),
   * else the one a concurrent writer made. `undefined` when the store failed.
   */
  async #make(key: string): Promise<string | undefined> {
    const token = newToken();
    const payload = stateEnvelope(token);
    try {
      if (this.#store.store.setIfAbsent === undefined) {
        return (await this.#store.set(key, payload, STATE_TTL_MS)) ? token : undefined;
      }
      const made = await this.#store.setIfAbsent(key, payload, STATE_TTL_MS);
      if (made === true) return token;
      if (made === false) {
        // Another writer's version, or something that is not a version (hostile or
        // corrupt contents), which is replaced: a new version is always safe.
        const current = tokenOf(await this.#store.get(key));
        if (current !== undefined) return current;
      }
      // setIfAbsent failed, or what is there is no version: a plain write is still safe (a
      // version is only ever replaced by a new one), at worst making entries miss once.
      return (await this.#store.set(key, payload, STATE_TTL_MS)) ? token : undefined;
    } catch {
      // A store that refuses even this small entry: the write that needs it is never valid.
      return undefined;
    }
  }

  /**
   * Gives each tag a new version: one store write per tag, whatever carries it. Resolves
   * `true` once every write is acknowledged, `false` when the store failed one (logged).
   */
  async invalidate(tags: readonly string[]): Promise<boolean> {
    const entries = tags.map((tag) => ({
      key: this.tagKey(tag),
      payload: stateEnvelope(newToken()),
      ttlMs: STATE_TTL_MS,
    }));
    const accepted = await this.#store.setMany(entries);
    return accepted.every(Boolean);
  }

  /**
   * Starts a new generation: one store write; this instance stops using the previous one at
   * once, others within {@link clearWaitMs}. Resolves `false` when the store failed (logged).
   */
  async newGeneration(): Promise<boolean> {
    const written = await this.#store.set(
      this.#generationKey,
      stateEnvelope(newToken()),
      STATE_TTL_MS,
    );
    this.#generation.forget();
    return written;
  }

  /**
   * How long after {@link newGeneration} every instance has stopped using the previous
   * generation, in milliseconds.
   */
  get clearWaitMs(): number {
    return GENERATION_CHECK_MS;
  }
}

/** The part of `captured` (a stamp of many tags) that an entry carrying `tags` records. */
export function stampOf(captured: Stamp, tags: readonly string[]): Stamp {
  if (tags.length === 0) return { generation: captured.generation, tags: [] };
  const versions = new Map<string, string>();
  for (let i = 0; i < captured.tags.length; i += 2) {
    versions.set(captured.tags[i]!, captured.tags[i + 1]!);
  }
  return {
    generation: captured.generation,
    tags: tags.flatMap((tag) => [tag, versions.get(tag) ?? '']),
  };
}

const NOT_KEPT: unique symbol = Symbol('glasswork.notKept');

/** A recorded version matches the current one only when both exist and are equal. */
function matches(recorded: string, current: Generation): boolean {
  return typeof current === 'string' && recorded === current;
}

/** The version a stored payload holds; `undefined` when absent or not one. */
function tokenOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const token = decodeEntry(raw)?.payload;
  return token !== undefined && TOKEN.test(token) ? token : undefined;
}

/** A version stored as an envelope, so the `l1` tier keeps copies of it like of any entry. */
function stateEnvelope(token: string): string {
  const createdAtMs = Date.now();
  return encodeEntry({
    payload: token,
    createdAtMs,
    expiresAtMs: createdAtMs + STATE_TTL_MS,
    generation: '',
    tags: [],
  });
}

function newToken(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  let token = '';
  for (const byte of bytes) token += (byte % 36).toString(36);
  return token;
}
