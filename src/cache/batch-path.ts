import { type CheckedEntry, distinct } from './batch-arguments.js';
import type { CacheContext } from './context.js';
import { NO_VALUE } from './entries.js';
import { encodeEntry } from './envelope.js';
import { emit, startTimer } from './report.js';
import { serializeValue } from './serializer.js';
import { type Stamp, stampOf } from './tags/tag-state.js';

/**
 * The fresh values under `fullKeys` (duplicates allowed), aligned with them: one batch
 * read of the distinct keys; a miss, an expired or malformed entry, or a failed read is
 * `missing`.
 */
export async function readMany(
  context: CacheContext,
  fullKeys: readonly string[],
  missing: undefined | typeof NO_VALUE,
  again = false,
): Promise<unknown[]> {
  const unique = distinct(fullKeys);
  const started = startTimer(context);
  const reading = context.store.getMany(unique);
  context.tags.prime();
  const raws = await reading;
  const now = Date.now();
  const entries = unique.map((key, i) => {
    const entry = context.entries.decode(key, raws[i]);
    return entry !== undefined && entry.expiresAtMs > now ? entry : undefined;
  });
  // One more read at most, for the versions of every tag the entries carry.
  const checked = context.tags.checkMany(entries);
  // In-memory copies may have aged past maxAgeMs while that read ran: read them once more.
  if (
    !again &&
    checked instanceof Promise &&
    unique.some((key) => context.store.servedFrom(key) === 'l1')
  ) {
    await checked;
    return readMany(context, fullKeys, missing, true);
  }
  const valid = await checked;
  const values = new Array<unknown>(unique.length);
  for (let i = 0; i < unique.length; i++) {
    const key = unique[i]!;
    const entry = entries[i];
    const value = entry !== undefined && valid[i] ? context.entries.value(key, entry) : NO_VALUE;
    emit(context, value === NO_VALUE ? 'miss' : 'hit', key, started);
    values[i] = value === NO_VALUE ? missing : value;
  }
  if (unique.length === fullKeys.length) return values;
  const byKey = new Map(unique.map((key, i) => [key, values[i]]));
  return fullKeys.map((key) => byKey.get(key));
}

/** `getMany`: {@link readMany} with misses as `undefined`. */
export function getMany(context: CacheContext, fullKeys: readonly string[]): Promise<unknown[]> {
  return fullKeys.length === 0 ? Promise.resolve([]) : readMany(context, fullKeys, undefined);
}

/**
 * Serializes and stores entries in one batch write, each with its part of `captured` (the
 * generation and the versions of every tag the entries carry, see `TagState.capture`); of
 * a key given twice, the last entry wins.
 * @throws CacheSerializationError `E_SERIALIZE`, CacheLimitError (nothing is written)
 */
export async function writeMany(
  context: CacheContext,
  entries: readonly CheckedEntry[],
  captured: Stamp,
): Promise<void> {
  if (entries.length === 0) return;
  const last = new Map<string, CheckedEntry>();
  for (const entry of entries) {
    last.delete(entry.fullKey);
    last.set(entry.fullKey, entry);
  }
  const serializer = context.options.serializer;
  const createdAtMs = Date.now();
  const payloads = [...last.values()].map(({ fullKey, value, ttlMs, tags }) => ({
    key: fullKey,
    payload: encodeEntry({
      payload: serializeValue(serializer, value, fullKey),
      createdAtMs,
      expiresAtMs: createdAtMs + ttlMs,
      generation: captured.generation,
      tags: stampOf(captured, tags).tags,
    }),
    ttlMs,
  }));
  const started = startTimer(context);
  const accepted = await context.store.setMany(payloads);
  for (let i = 0; i < payloads.length; i++) {
    if (accepted[i]) emit(context, 'set', payloads[i]!.key, started);
  }
}

/** The distinct tags of `entries`, for one capture of their versions. */
export function tagsOf(entries: readonly CheckedEntry[]): string[] {
  const tags = new Set<string>();
  for (const entry of entries) for (const tag of entry.tags) tags.add(tag);
  return [...tags];
}

/** `delMany`: removes the distinct keys of `fullKeys`; resolves how many were removed. */
export async function deleteMany(
  context: CacheContext,
  fullKeys: readonly string[],
): Promise<number> {
  if (fullKeys.length === 0) return 0;
  const unique = distinct(fullKeys);
  const started = startTimer(context);
  const removed = await context.store.delMany(unique);
  if (removed > 0) for (const key of unique) emit(context, 'del', key, started);
  return removed;
}
